import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, register } from './harness/app-auth';
import {
  conversationItem,
  messagesIn,
  openConversation,
  sendText,
  showChats,
  startChatWith,
  textsIn,
} from './harness/app-chat';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';
import { waitFor } from './harness/wait';

const MESSAGE_COUNT = 60;
const TEXTS = Array.from({ length: MESSAGE_COUNT }, (_, index) => `history ${String(index + 1).padStart(2, '0')}`);

describe('chat view history', () => {
  const suite = useE2ESuite();

  test('long chat pages in older messages', async () => {
    const alice = makeUser('alice');
    const bob = makeUser('bob');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');

    await openApp(a.page);
    await register(a.page, alice);
    await openApp(b.page);
    await register(b.page, bob);

    await startChatWith(a.page, bob.username);
    for (const text of TEXTS) await sendText(a.page, text);
    await expect
      .poll(async () => (await messagesIn(a.page)).filter((message) => message.status === 'sent').length, {
        timeout: DELIVERY_TIMEOUT_MS,
      })
      .toBe(MESSAGE_COUNT);

    await showChats(a.page);
    await openConversation(a.page, bob.username);
    await expectNewestPageThenOlder(a.page);

    // The receiver got the same messages as live events and pages them the same way.
    await expect
      .poll(async () => (await conversationItem(b.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(b.page, alice.username);
    await expectNewestPageThenOlder(b.page);
  });
});

/**
 * Checks the reopened chat. The newest message is in view under a day
 * separator, and only one page of history is rendered. Scrolling to the top
 * loads the rest until every message shows once, in send order.
 */
async function expectNewestPageThenOlder(page: Page): Promise<void> {
  const newest = TEXTS[MESSAGE_COUNT - 1];
  await expect.poll(async () => (await textsIn(page)).at(-1), { timeout: DELIVERY_TIMEOUT_MS }).toBe(newest);
  await expect.poll(() => isLastMessageInView(page), { timeout: UI_TIMEOUT_MS }).toBe(true);
  expect(await page.locator('[data-testid="message-list"] [data-testid="day-separator"]').count()).toBeGreaterThan(0);

  const firstRendered = await textsIn(page);
  expect(firstRendered.length, 'messages rendered before scrolling; older ones should load on scroll').toBeLessThan(
    MESSAGE_COUNT,
  );
  expect(firstRendered).toEqual(TEXTS.slice(-firstRendered.length));

  await waitFor(
    `the oldest message "${TEXTS[0]}" after scrolling the message list to the top`,
    async () => {
      await scrollMessagesToTop(page);
      return (await textsIn(page))[0] === TEXTS[0] ? true : undefined;
    },
    UI_TIMEOUT_MS,
  );

  expect(await textsIn(page)).toEqual(TEXTS);
  expect(await firstListEntryTestId(page)).toBe('day-separator');
}

/** Runs in the page: whether the last message lies inside the window and inside every scrolling ancestor. */
function isLastMessageInView(page: Page): Promise<boolean> {
  return page.locator('[data-testid="message-list"] [data-testid="message"]').last().evaluate((element) => {
    const rect = element.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight + 1) return false;

    for (let ancestor = element.parentElement; ancestor !== null; ancestor = ancestor.parentElement) {
      if (ancestor.scrollHeight <= ancestor.clientHeight) continue;
      const box = ancestor.getBoundingClientRect();
      if (rect.top < box.top - 1 || rect.bottom > box.bottom + 1) return false;
    }
    return true;
  });
}

/** Scrolls the first rendered message into view and every scrolling ancestor of the list to its top. */
async function scrollMessagesToTop(page: Page): Promise<void> {
  await page.getByTestId('message-list').evaluate((list) => {
    list.querySelector('[data-testid="message"]')?.scrollIntoView({ block: 'start' });
    for (let element: Element | null = list; element !== null; element = element.parentElement) {
      if (element.scrollHeight > element.clientHeight) element.scrollTop = 0;
    }
  });
}

function firstListEntryTestId(page: Page): Promise<string | null> {
  return page
    .getByTestId('message-list')
    .evaluate(
      (list) => list.querySelector('[data-testid="day-separator"], [data-testid="message"]')?.getAttribute('data-testid') ?? null,
    );
}
