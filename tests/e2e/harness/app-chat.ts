import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './timeouts';
import { waitFor } from './wait';

export type MessageStatus = 'pending' | 'sent' | 'failed';

/** What the chat view shows of one message, read from its test ids and data attributes. */
export interface ShownMessage {
  text: string;
  status: string | null;
  mine: boolean;
  cid: string | null;
}

/**
 * Shows the conversation list the way a user would: the chat's back button
 * where the layout has one, else the chats navigation entry. Fails when
 * neither is visible, because then the user cannot leave the chat either.
 */
export async function showChats(page: Page): Promise<void> {
  const list = page.getByTestId('conversation-list');
  const back = page.getByTestId('chat-back');
  const nav = page.getByTestId('nav-chats');

  if (await back.isVisible()) await back.click();
  else if (await nav.isVisible()) await nav.click();
  else if (!(await list.isVisible())) {
    throw new Error(
      `Cannot reach the conversation list at ${page.url()}: neither chat-back nor nav-chats is visible`,
    );
  }

  await list.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Starts (or reopens) the 1:1 chat with `username` through the new-chat form; returns the conversation id. */
export async function startChatWith(page: Page, username: string): Promise<string> {
  await showChats(page);

  await page.getByTestId('new-chat-button').click({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId('new-chat-username').fill(username, { timeout: UI_TIMEOUT_MS });
  await page.getByTestId('new-chat-submit').click();

  return waitForChatView(page);
}

/**
 * Opens the chat with `peerUsername` from the conversation list, unless that
 * chat is already open (a reload keeps the chat route). Returns the conversation id.
 */
export async function openConversation(page: Page, peerUsername: string): Promise<string> {
  const item = conversationItem(page, peerUsername);
  const view = page.getByTestId('chat-view');

  if ((await view.isVisible()) && (await item.count()) > 0) {
    const openId = await view.getAttribute('data-conversation-id');
    if (openId !== null && openId === (await item.getAttribute('data-conversation-id'))) {
      return waitForChatView(page);
    }
  }

  await showChats(page);
  await item.click({ timeout: UI_TIMEOUT_MS });
  return waitForChatView(page);
}

/** Locates the conversation list entry whose peer is `peerUsername`. */
export function conversationItem(page: Page, peerUsername: string): Locator {
  return page.locator(
    `[data-testid="conversation-list"] [data-testid="conversation-item"][data-peer-username="${peerUsername}"]`,
  );
}

/** Reads the unread badge of the entry for `peerUsername`; null when the entry or its badge is absent. */
export async function unreadCountText(page: Page, peerUsername: string): Promise<string | null> {
  const badge = conversationItem(page, peerUsername).getByTestId('conversation-unread');
  if ((await badge.count()) === 0) return null;
  return (await badge.textContent())?.trim() ?? null;
}

/**
 * Types `text` into the composer and presses Enter, then waits until the
 * message list shows one more own message with that text. Returns its cid.
 */
export async function sendText(page: Page, text: string): Promise<string | null> {
  const before = countMine(await messagesIn(page), text);

  const composer = page.getByTestId('composer-input');
  await composer.fill(text, { timeout: UI_TIMEOUT_MS });
  await composer.press('Enter');

  const messages = await waitFor(
    `an own message with text ${JSON.stringify(abbreviate(text))} in the message list (had ${before})`,
    async () => {
      const current = await messagesIn(page);
      return countMine(current, text) > before ? current : undefined;
    },
    UI_TIMEOUT_MS,
  );
  return messages.filter((message) => message.mine && message.text === text).at(-1)?.cid ?? null;
}

/** Reads the messages of the open chat view in display order. */
export function messagesIn(page: Page): Promise<ShownMessage[]> {
  return page
    .locator('[data-testid="message-list"] [data-testid="message"]')
    .evaluateAll((elements) =>
      elements.map((element) => ({
        text: element.querySelector('[data-testid="message-text"]')?.textContent ?? '',
        status: element.getAttribute('data-status'),
        mine: element.getAttribute('data-mine') === 'true',
        cid: element.getAttribute('data-cid'),
      })),
    );
}

/** Texts of the open chat view in display order, optionally only own or only received ones. */
export async function textsIn(page: Page, filter: { mine?: boolean } = {}): Promise<string[]> {
  const messages = await messagesIn(page);
  return messages
    .filter((message) => filter.mine === undefined || message.mine === filter.mine)
    .map((message) => message.text);
}

/** Reads the status of each own message with `text`, in display order. */
export async function statusesOf(page: Page, text: string): Promise<(string | null)[]> {
  const messages = await messagesIn(page);
  return messages.filter((message) => message.mine && message.text === text).map((message) => message.status);
}

async function waitForChatView(page: Page): Promise<string> {
  const view = page.getByTestId('chat-view');
  await view.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId('composer-input').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  const conversationId = await view.getAttribute('data-conversation-id');
  if (conversationId === null || conversationId === '') {
    throw new Error('chat-view has no data-conversation-id attribute');
  }
  return conversationId;
}

function countMine(messages: ShownMessage[], text: string): number {
  return messages.filter((message) => message.mine && message.text === text).length;
}

function abbreviate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}… (${text.length} chars)`;
}

/** Counts the message blocks (web/app/store/message-blocks.ts) in every account database of the page's origin. */
export async function storedMessageBlocks(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const settle = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });

    let total = 0;
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('feige-')) continue;
      const db = await settle(indexedDB.open(name));
      if (db.objectStoreNames.contains('messageBlocks')) {
        total += await settle(db.transaction('messageBlocks').objectStore('messageBlocks').count());
      }
      db.close();
    }
    return total;
  });
}
