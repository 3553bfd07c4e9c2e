import type { Page, Response } from 'playwright-core';
import { API_PREFIX } from '../../../protocol/api';
import { parseAuthResponse, type AuthSession } from './api';
import { UI_TIMEOUT_MS } from './timeouts';
import { waitFor } from './wait';
import type { TestUser } from './users';

/** Loads the app and waits until it shows the sign-in screen, the register screen or the signed-in shell. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await waitFor(
    `the sign-in form, the register form or the signed-in shell at ${page.url()}`,
    async () => {
      if (await page.getByTestId('signin-form').isVisible()) return true;
      if (await page.getByTestId('register-form').isVisible()) return true;
      return (await page.getByTestId('connection-state').count()) > 0 ? true : undefined;
    },
    UI_TIMEOUT_MS,
  );
}

/** Registers `user` through the register form and waits for the signed-in shell. */
export async function register(page: Page, user: TestUser): Promise<AuthSession> {
  await showForm(page, 'register-form', 'goto-register');

  await page.getByTestId('register-username').fill(user.username);
  await page.getByTestId('register-displayname').fill(user.displayName);
  await page.getByTestId('register-password').fill(user.password);

  const response = page.waitForResponse((candidate) => isApiCall(candidate, 'POST', '/accounts'), {
    timeout: UI_TIMEOUT_MS,
  });
  await page.getByTestId('register-submit').click();

  const session = await authSessionFrom(await response, 201, `registering ${user.username}`);
  await waitForShell(page);
  return session;
}

/** Opens the app on `page` and registers `user` there. */
export async function openAndRegister(page: Page, user: TestUser): Promise<AuthSession> {
  await openApp(page);
  return register(page, user);
}

/** Signs `user` in through the sign-in form and waits for the signed-in shell. */
export async function signIn(page: Page, user: TestUser): Promise<AuthSession> {
  await showForm(page, 'signin-form', 'goto-signin');

  await page.getByTestId('signin-username').fill(user.username);
  await page.getByTestId('signin-password').fill(user.password);

  const response = page.waitForResponse((candidate) => isApiCall(candidate, 'POST', '/sessions'), {
    timeout: UI_TIMEOUT_MS,
  });
  await page.getByTestId('signin-submit').click();

  const session = await authSessionFrom(await response, 201, `signing in ${user.username}`);
  await waitForShell(page);
  return session;
}

/**
 * Waits for the signed-in shell, recognised by its connection indicator: the
 * navigation is hidden while a chat is open on narrow screens.
 */
export async function waitForShell(page: Page): Promise<void> {
  await page.getByTestId('connection-state').waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
}

export function isApiCall(response: Response, method: string, path: string): boolean {
  return (
    response.request().method() === method && new URL(response.url()).pathname === `${API_PREFIX}${path}`
  );
}

/** Opens the app if needed and shows `formTestId`, following the link `switchTestId` from the other auth form. */
async function showForm(page: Page, formTestId: string, switchTestId: string): Promise<void> {
  if (page.url() === 'about:blank') await openApp(page);

  const form = page.getByTestId(formTestId);
  if (await form.isVisible()) return;

  await page.getByTestId(switchTestId).click({ timeout: UI_TIMEOUT_MS });
  await form.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

async function authSessionFrom(response: Response, expectedStatus: number, action: string): Promise<AuthSession> {
  const body = await response.text();
  if (response.status() !== expectedStatus) {
    throw new Error(`${action}: ${response.request().method()} ${response.url()} returned ${response.status()}, expected ${expectedStatus}: ${body}`);
  }
  return parseAuthResponse(JSON.parse(body));
}
