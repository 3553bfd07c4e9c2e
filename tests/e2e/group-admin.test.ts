// Group management in the real PWA. The owner creates an approval group
// through the form. Another user finds it by part of its Chinese name and
// applies with a message. The owner approves in the info panel, after which
// the applicant's panel shows them as a member. The owner then makes them an
// admin, which the member list shows as a badge. A second decision on a
// decided application shows `already_handled`; the owner cannot leave and
// dissolves the group instead. The create form names a broken limit in
// Chinese.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { GROUP_MEMBERS_MAX } from '../../protocol/limits';
import { apiRequest, errorCodeOf, registerViaApi } from './harness/api';
import { openApp, register, signIn } from './harness/app-auth';
import { searchFor } from './harness/app-relations';
import { waitForConnectionState } from './harness/app-shell';
import { twoColourPng } from './harness/png';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

const GROUP_NAME = '周末读书会';
const APPLICATION_MESSAGE = '我也想参加读书会';

/** The English catalog's texts the tests expect to see. */
const ADMIN_BADGE = 'Admin';
const ALREADY_HANDLED = 'Another admin already handled this application.';
const OWNER_MUST_TRANSFER = 'As the owner you cannot leave. Transfer ownership first or dissolve the group.';

/** Opens a route the way a link in the app does: the History API and a popstate event, without reloading the page. */
async function goTo(page: Page, path: string): Promise<void> {
  await page.evaluate((target) => {
    history.pushState(null, '', target);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** Opens the group's info panel fresh (leaving it first, so it loads again) and returns the caller's role there. */
async function reopenPanel(page: Page, groupId: string): Promise<string | null> {
  await goTo(page, '/');
  await goTo(page, `/group/${encodeURIComponent(groupId)}`);
  const panel = page.getByTestId('group-info');
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.locator('[data-testid="group-info"][data-my-role]').waitFor({ timeout: UI_TIMEOUT_MS });
  return panel.getAttribute('data-my-role');
}

/** Returns the `id` of a JSON response body, failing the test when it has none. */
function idOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string') return body.id;
  throw new Error(`expected a body with an id, got ${JSON.stringify(body)}`);
}

interface HoldableFrames {
  /** Keeps server frames back from the page from now on. */
  hold(): void;
  /** Sends the kept frames to the page in order and forwards new ones again. */
  release(): void;
}

/** Routes the page's main socket (`/ws`) through a relay whose server-to-page direction can be held. */
async function holdableServerFrames(page: Page): Promise<HoldableFrames> {
  let holding = false;
  const held: Array<{ send: () => void }> = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (holding) held.push({ send: () => ws.send(message) });
      else ws.send(message);
    });
  });
  return {
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const frame of held.splice(0)) frame.send();
    },
  };
}

function memberRow(page: Page, userId: string) {
  return page.locator(`[data-testid="group-member"][data-user-id="${userId}"]`);
}

describe('group management in the PWA', () => {
  const suite = useE2ESuite();

  test('apply, approve, appoint admin', async () => {
    const owner = makeUser('owner', '群主');
    const applicant = makeUser('applicant', '申请人');
    const a = await suite.newClient('owner');
    const b = await suite.newClient('applicant');
    await openApp(a.page);
    const ownerSession = await register(a.page, owner);
    await openApp(b.page);
    const applicantSession = await register(b.page, applicant);
    await waitForConnectionState(a.page, 'online');
    await waitForConnectionState(b.page, 'online');

    // The owner creates an approval group with the form and lands in its chat.
    await a.page.getByTestId('new-group-button').click();
    await a.page.getByTestId('group-create-form').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await a.page.getByTestId('group-name').fill(GROUP_NAME);
    await a.page.getByTestId('group-introduction').fill('每周六下午一起读书');
    await a.page.getByTestId('group-join-policy').selectOption('approval');
    await a.page.getByTestId('group-avatar-input').setInputFiles({ name: 'group.png', mimeType: 'image/png', buffer: twoColourPng(400, 300) });
    await a.page.getByTestId('group-avatar-preview').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await a.page.getByTestId('group-create-submit').click();
    await a.page.waitForURL(/\/chat\/g%3A/, { timeout: UI_TIMEOUT_MS });
    const groupId = decodeURIComponent(new URL(a.page.url()).pathname.slice('/chat/'.length)).slice('g:'.length);
    expect(groupId).not.toBe('');

    // The applicant finds it by two characters of its name and applies with a message.
    await searchFor(b.page, '读书');
    await b.page.getByTestId('search-groups-tab').click();
    const result = b.page.locator(`[data-testid="group-search-result"][data-group-id="${groupId}"]`);
    await result.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await result.getByTestId('group-search-name').textContent()).toBe(GROUP_NAME);
    await result.getByTestId('group-search-open').click();
    await expect.poll(() => b.page.getByTestId('group-info').getAttribute('data-my-role')).toBe('none');
    await b.page.getByTestId('group-apply-message').fill(APPLICATION_MESSAGE);
    await b.page.getByTestId('group-apply-button').click();
    await b.page.getByTestId('group-apply-status').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // The owner sees the application with its message in the panel and approves it.
    expect(await reopenPanel(a.page, groupId)).toBe('owner');
    expect(await a.page.getByTestId('group-info-name').textContent()).toBe(GROUP_NAME);
    const avatarUrl = await a.page.locator('.group-heading img.avatar-image').getAttribute('src');
    expect(avatarUrl).toMatch(new RegExp(`^/api/v1/group-avatars/${groupId}/`));
    const application = a.page.locator(`[data-testid="group-application"][data-applicant-id="${applicantSession.userId}"]`);
    await application.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    expect(await application.getByTestId('application-message').textContent()).toBe(APPLICATION_MESSAGE);
    await application.getByTestId('application-approve').click();
    await memberRow(a.page, applicantSession.userId).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await expect.poll(() => a.page.getByTestId('group-application').count()).toBe(0);

    // The applicant's panel shows them as a member, with the owner in the list.
    await expect.poll(() => reopenPanel(b.page, groupId), { timeout: DELIVERY_TIMEOUT_MS }).toBe('member');
    await memberRow(b.page, ownerSession.userId).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await memberRow(b.page, ownerSession.userId).getAttribute('data-role')).toBe('owner');

    // The owner makes the new member an admin; the list shows the role and the badge.
    const row = memberRow(a.page, applicantSession.userId);
    expect(await row.getAttribute('data-role')).toBe('member');
    await row.getByTestId('member-make-admin').click();
    await expect.poll(() => row.getAttribute('data-role')).toBe('admin');
    expect(await row.getByTestId('member-role-badge').textContent()).toBe(ADMIN_BADGE);
    expect(await row.getByTestId('member-remove-admin').count()).toBe(1);
  });

  test('second decision, owner leave, dissolve', async () => {
    const owner = makeUser('owner', '群主');
    const applicant = makeUser('applicant', '申请人');
    const applicantSession = await registerViaApi(suite.server.url, applicant);
    const desktop = await suite.newClient('owner-desktop');
    const phone = await suite.newClient('owner-phone', { device: 'phone' });
    // The phone's socket runs through a relay that can hold server frames, so
    // that its application list is still the old one when it decides second,
    // as when two admins decide at nearly the same moment.
    const phoneFrames = await holdableServerFrames(phone.page);
    await openApp(desktop.page);
    const ownerSession = await register(desktop.page, owner);
    await openApp(phone.page);
    await signIn(phone.page, owner);

    const created = await apiRequest(suite.server.url, 'POST', '/groups', { token: ownerSession.token, body: { name: GROUP_NAME } });
    expect(created.status).toBe(201);
    const groupId = idOf(created.body);
    const applied = await apiRequest(suite.server.url, 'POST', `/groups/${groupId}/applications`, {
      token: applicantSession.token,
      body: { message: APPLICATION_MESSAGE },
    });
    expect(applied.status).toBe(202);

    // Both of the owner's devices show the application; the desktop approves it first.
    expect(await reopenPanel(desktop.page, groupId)).toBe('owner');
    expect(await reopenPanel(phone.page, groupId)).toBe('owner');
    const onPhone = phone.page.getByTestId('group-application');
    await onPhone.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    phoneFrames.hold();
    await desktop.page.getByTestId('application-approve').click();
    await memberRow(desktop.page, applicantSession.userId).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // The phone's decision comes second and shows why it failed.
    await onPhone.getByTestId('application-reject').click();
    await expect.poll(() => phone.page.getByTestId('group-application-error').textContent()).toBe(ALREADY_HANDLED);

    // Once the held `joined` event arrives, the phone's list drops the handled application.
    phoneFrames.release();
    await expect.poll(() => onPhone.count(), { timeout: DELIVERY_TIMEOUT_MS }).toBe(0);

    // The owner cannot leave without handing over ownership.
    await desktop.page.getByTestId('group-leave').click();
    await expect.poll(() => desktop.page.getByTestId('group-exit-error').textContent()).toBe(OWNER_MUST_TRANSFER);

    // Dissolving needs a confirmation, then leaves the panel, and the group is gone.
    await desktop.page.getByTestId('group-dissolve').click();
    await desktop.page.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => new URL(desktop.page.url()).pathname).toBe('/');
    const after = await apiRequest(suite.server.url, 'GET', `/groups/${groupId}`, { token: applicantSession.token });
    expect(errorCodeOf(after.body)).toBe('not_found');
  });

  test('invite by username, then remove', async () => {
    const owner = makeUser('owner', '群主');
    const guest = makeUser('guest', '客人');
    const guestSession = await registerViaApi(suite.server.url, guest);
    const client = await suite.newClient('owner');
    await openApp(client.page);
    const ownerSession = await register(client.page, owner);
    const created = await apiRequest(suite.server.url, 'POST', '/groups', { token: ownerSession.token, body: { name: GROUP_NAME } });
    const groupId = idOf(created.body);

    // The owner's invitation adds the user at once, and the list shows them.
    expect(await reopenPanel(client.page, groupId)).toBe('owner');
    await client.page.getByTestId('group-invite-username').fill(guest.username);
    await client.page.getByTestId('group-invite-submit').click();
    await expect.poll(() => client.page.getByTestId('group-invite-result').textContent()).toBe(`@${guest.username} joined the group.`);
    const row = memberRow(client.page, guestSession.userId);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await row.getByTestId('member-name').textContent()).toBe('客人');

    // Removing needs a confirmation; the member then leaves the list.
    await row.getByTestId('member-kick').click();
    await client.page.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    const members = await apiRequest(suite.server.url, 'GET', `/groups/${groupId}/members`, { token: guestSession.token });
    expect(errorCodeOf(members.body)).toBe('not_a_member');
  });

  test('member limit error in Chinese', async () => {
    const user = makeUser('creator', '建群人');
    const client = await suite.newClient('creator', { locale: 'zh-CN' });
    await openApp(client.page);
    await register(client.page, user);

    await client.page.getByTestId('new-group-button').click();
    await client.page.getByTestId('group-name').fill(GROUP_NAME);
    await client.page.getByTestId('group-member-limit').fill(String(GROUP_MEMBERS_MAX + 1));
    await client.page.getByTestId('group-create-submit').click();

    await expect.poll(() => client.page.getByTestId('group-create-error').textContent()).toBe('人数上限填写了 2,001，最大允许 2,000。');
    expect(new URL(client.page.url()).pathname).toBe('/groups/new');
  });
});
