import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './timeouts';
import { waitFor } from './wait';

export type ConnectionState = 'online' | 'connecting' | 'offline';

/** Reads the `data-state` of the shell's connection indicator; null while the shell is not shown. */
export async function connectionState(page: Page): Promise<string | null> {
  const indicator = page.getByTestId('connection-state');
  if ((await indicator.count()) === 0) return null;
  return indicator.getAttribute('data-state');
}

/**
 * Polls the connection indicator until its data-state is `expected`. Returns
 * the last value seen, which differs from `expected` only after the timeout.
 */
export async function pollConnectionState(
  page: Page,
  expected: ConnectionState,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<string | null> {
  let last: string | null = null;
  await waitFor(
    `connection-state data-state="${expected}"`,
    async () => {
      last = await connectionState(page);
      return last === expected ? true : undefined;
    },
    timeoutMs,
  ).catch(() => undefined);
  return last;
}

export async function waitForConnectionState(
  page: Page,
  expected: ConnectionState,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<void> {
  const last = await pollConnectionState(page, expected, timeoutMs);
  if (last !== expected) {
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for connection-state data-state="${expected}"; last data-state was ${JSON.stringify(last)}`,
    );
  }
}

export async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId('settings-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/**
 * Waits until a service worker controls the page. A worker that does not
 * call clients.claim() controls only pages loaded after it activated, so the
 * page is reloaded once in that case.
 */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await waitFor(
    'navigator.serviceWorker.ready (an active service worker for the page)',
    () => page.evaluate(hasActiveServiceWorker),
    UI_TIMEOUT_MS,
  );

  if (await isControlled(page)) return;
  await page.reload();
  await waitFor(
    'navigator.serviceWorker.controller after a reload',
    async () => ((await isControlled(page)) ? true : undefined),
    UI_TIMEOUT_MS,
  );
}

/** Reads the state of the active service worker for the page's scope; null when there is none. */
export function activeServiceWorkerState(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration?.active?.state ?? null;
  });
}

/** Runs in the page. `serviceWorker.ready` never settles without a registration, so each probe gives up after a second. */
async function hasActiveServiceWorker(): Promise<true | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000));
  const ready = navigator.serviceWorker.ready.then((registration) => (registration.active === null ? undefined : true));
  return Promise.race([ready, timeout]);
}

function isControlled(page: Page): Promise<boolean> {
  return page.evaluate(() => navigator.serviceWorker.controller !== null);
}
