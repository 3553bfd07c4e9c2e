import type { Locator, Page } from 'playwright-core';
import { showChats } from './app-chat';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './timeouts';

/** Locates the conversation list entry of a group. */
export function groupItem(page: Page, groupId: string): Locator {
  return page.locator(`[data-testid="conversation-list"] [data-testid="conversation-item"][data-group-id="${groupId}"]`);
}

/** Opens a group chat from the conversation list, waiting for the entry to arrive. */
export async function openGroupChat(page: Page, groupId: string): Promise<Locator> {
  await showChats(page);
  await groupItem(page, groupId).click({ timeout: DELIVERY_TIMEOUT_MS });
  const view = page.locator(`[data-testid="chat-view"][data-conversation-id="g:${groupId}"]`);
  await view.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return view;
}

/** Opens the info panel of the open group chat through its header button. */
export async function openGroupPanel(page: Page): Promise<Locator> {
  await page.getByTestId('group-info-button').click({ timeout: UI_TIMEOUT_MS });
  const panel = page.locator('[data-testid="group-info"][data-my-role]');
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return panel;
}

/** Locates a row of the panel's member list. */
export function memberRow(page: Page, userId: string): Locator {
  return page.locator(`[data-testid="group-member"][data-user-id="${userId}"]`);
}

/** Clicks an action that opens the confirm dialog, then confirms it. */
export async function clickAndConfirm(page: Page, action: Locator): Promise<void> {
  await action.click({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId('confirm-dialog-confirm').click({ timeout: UI_TIMEOUT_MS });
}

/** Returns the change types of the open chat's system lines, in order. */
export function systemLineChanges(page: Page): Promise<(string | null)[]> {
  return page
    .locator('[data-testid="message-list"] [data-testid="system-line"]')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-change')));
}

/** Texts of the messages from `userId` in the open chat, in the order shown. */
export function textsFrom(page: Page, userId: string): Promise<string[]> {
  return page
    .locator(`[data-testid="message-list"] [data-testid="message"][data-from="${userId}"] [data-testid="message-text"]`)
    .allTextContents();
}
