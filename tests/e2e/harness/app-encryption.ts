import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './timeouts';

/** What a chat shows for a message sent before this device signed in (en catalog). */
export const NOT_FOR_THIS_DEVICE_EN = 'This message was sent before this device was signed in, so it cannot be shown here.';

/** What a chat shows for a message that did not decrypt (en catalog). */
export const UNDECRYPTABLE_EN = 'Could not decrypt this message.';

/**
 * Opens the safety number panel of the open chat, reads its digits and
 * closes it again. Returns the digits as 12 groups joined by single spaces.
 */
export async function readSafetyNumber(page: Page): Promise<string> {
  await page.getByTestId('safety-number-open').click({ timeout: UI_TIMEOUT_MS });
  const digits = page.getByTestId('safety-number');
  await digits.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  const text = (await digits.textContent()) ?? '';
  await page.getByTestId('safety-number-close').click();
  return text.trim().split(/\s+/).join(' ');
}

/** Counts the key-change notices in the open chat. */
export function keyChangeNotices(page: Page): Promise<number> {
  return page.locator('[data-testid="message-list"] [data-testid="key-change-notice"]').count();
}
