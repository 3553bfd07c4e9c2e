// Registers a user in the PWA the way a person does, through the register
// form, and waits until its socket is online.

import type { Page } from 'playwright-core';

export const PWA_PASSWORD = 'bench-password-0123';

/** Registers a new user in `page` and returns its username once the app reports the socket online. */
export async function registerInPwa(page: Page, prefix: string, timeoutMs: number): Promise<string> {
  const username = `${prefix}${Date.now().toString(36)}`;
  await page.goto('/register', { timeout: timeoutMs });
  await page.getByTestId('register-username').fill(username);
  await page.getByTestId('register-displayname').fill(username);
  await page.getByTestId('register-password').fill(PWA_PASSWORD);
  await page.getByTestId('register-submit').click();
  await waitForConnection(page, 'online', timeoutMs);
  return username;
}

export async function waitForConnection(page: Page, state: 'online' | 'offline', timeoutMs: number): Promise<void> {
  await page.getByTestId('connection-state').and(page.locator(`[data-state=${state}]`)).waitFor({ timeout: timeoutMs });
}
