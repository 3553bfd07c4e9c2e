// Page helpers for contacts, search and profiles, through the test ids only.

import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './timeouts';

/** Makes the navigation visible: on narrow layouts an open chat hides it until the user goes back. */
async function showNav(page: Page, navTestId: string): Promise<Locator> {
  const nav = page.getByTestId(navTestId);
  const back = page.getByTestId('chat-back');
  if (!(await nav.isVisible()) && (await back.isVisible())) await back.click();
  return nav;
}

/** Opens the search screen and types `query`. */
export async function searchFor(page: Page, query: string): Promise<void> {
  await (await showNav(page, 'nav-search')).click({ timeout: UI_TIMEOUT_MS });
  const input = page.getByTestId('search-input');
  await input.fill(query, { timeout: UI_TIMEOUT_MS });
}

export function searchResult(page: Page, username: string): Locator {
  return page.locator(`[data-testid="search-result"][data-username="${username}"]`);
}

/** Opens the profile of `username` from the search results and waits for it to load. */
export async function openProfileFromSearch(page: Page, username: string): Promise<void> {
  await searchResult(page, username).locator('a').click({ timeout: UI_TIMEOUT_MS });
  await waitForProfile(page);
}

/** Opens one tab of the contacts screen. */
export async function openContactsTab(page: Page, tab: 'friends' | 'following' | 'followers' | 'requests' | 'blocked'): Promise<void> {
  await (await showNav(page, 'nav-contacts')).click({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId(`contacts-tab-${tab}`).click({ timeout: UI_TIMEOUT_MS });
}

export function requestItem(page: Page, username: string): Locator {
  return page.locator(`[data-testid="request-item"][data-username="${username}"]`);
}

export function contactItem(page: Page, username: string): Locator {
  return page.locator(`[data-testid="contact-item"][data-username="${username}"]`);
}

/** Waits until the profile view shows a loaded profile (its name). */
export async function waitForProfile(page: Page): Promise<void> {
  await page.getByTestId('profile-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId('profile-name').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Sends a friend request with `message` from the open profile and waits for the confirmation. */
export async function sendFriendRequest(page: Page, message: string): Promise<void> {
  await page.getByTestId('profile-add-friend').click({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId('friend-request-message').fill(message, { timeout: UI_TIMEOUT_MS });
  await page.getByTestId('friend-request-send').click();
  await page.getByTestId('friend-request-done').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}
