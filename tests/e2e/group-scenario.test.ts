// The whole life of an approval-only group, driven through the PWA's screens
// by three users. The owner creates it; one user finds it and applies, the
// owner gets a live notice and approves, and the applicant gets the decision; the owner invites a third user, who joins at once. All
// three chat, end-to-end encrypted with sender keys. The owner kicks the
// invited user, whose chat then shows the notice in place of the composer
// and keeps the earlier messages. The owner dissolves the group, and the
// remaining member's chat shows it dissolved.

import { describe, expect, test } from 'vitest';
import { openApp, register } from './harness/app-auth';
import { sendText, statusesOf } from './harness/app-chat';
import {
  clickAndConfirm,
  memberRow,
  openGroupChat,
  openGroupPanel,
  systemLineChanges,
  textsFrom,
} from './harness/app-groups';
import { searchFor } from './harness/app-relations';
import { waitForConnectionState } from './harness/app-shell';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

const GROUP_NAME = '登山小队 Climbers';

describe('group life in the PWA', () => {
  const suite = useE2ESuite();

  test('apply, invite, chat, kick, dissolve', async () => {
    const alice = makeUser('alice', 'Alice 爱丽丝');
    const bob = makeUser('bob', 'Bob 鲍勃');
    const carol = makeUser('carol', 'Carol 卡罗尔');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');
    const c = await suite.newClient('carol');
    await openApp(a.page);
    const aliceSession = await register(a.page, alice);
    await openApp(b.page);
    const bobSession = await register(b.page, bob);
    await openApp(c.page);
    const carolSession = await register(c.page, carol);
    for (const client of [a, b, c]) await waitForConnectionState(client.page, 'online');

    // Alice creates an approval-only group and lands in its chat.
    await a.page.getByTestId('new-group-button').click({ timeout: UI_TIMEOUT_MS });
    await a.page.getByTestId('group-name').fill(GROUP_NAME, { timeout: UI_TIMEOUT_MS });
    await a.page.getByTestId('group-join-policy').selectOption('approval');
    await a.page.getByTestId('group-create-submit').click();
    await a.page.waitForURL(/\/chat\/g%3A/, { timeout: UI_TIMEOUT_MS });
    const groupId = decodeURIComponent(new URL(a.page.url()).pathname.slice('/chat/'.length)).slice('g:'.length);
    expect(groupId).not.toBe('');

    // Bob finds it by part of its name and applies.
    await searchFor(b.page, '登山');
    await b.page.getByTestId('search-groups-tab').click();
    const result = b.page.locator(`[data-testid="group-search-result"][data-group-id="${groupId}"]`);
    await result.getByTestId('group-search-open').click({ timeout: UI_TIMEOUT_MS });
    await b.page.getByTestId('group-apply-message').fill('想一起去爬山', { timeout: UI_TIMEOUT_MS });
    await b.page.getByTestId('group-apply-button').click();
    await b.page.getByTestId('group-apply-status').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // Alice, still in the group chat, gets a live notice card and a bar over the messages.
    const card = a.page.locator(`[data-testid="group-notice"][data-kind="application"][data-group-id="${groupId}"]`);
    await card.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    await expect
      .poll(() => card.getByTestId('group-notice-text').textContent(), { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(`${bob.displayName} applied to join ${GROUP_NAME}.`);
    await expect
      .poll(() => a.page.getByTestId('group-pending-applications').getAttribute('data-count'), { timeout: DELIVERY_TIMEOUT_MS })
      .toBe('1');

    // The card leads to the group's panel, where she approves.
    await card.getByTestId('group-notice-open').click();
    const panel = a.page.locator('[data-testid="group-info"][data-my-role]');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await panel.getAttribute('data-my-role')).toBe('owner');
    const application = a.page.locator(`[data-testid="group-application"][data-applicant-id="${bobSession.userId}"]`);
    await application.getByTestId('application-approve').click({ timeout: DELIVERY_TIMEOUT_MS });
    await memberRow(a.page, bobSession.userId).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // Bob gets a card saying that he was approved.
    const approved = b.page.locator(`[data-testid="group-notice"][data-kind="application_result"][data-group-id="${groupId}"]`);
    await approved.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    await expect
      .poll(() => approved.getByTestId('group-notice-text').textContent(), { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(`Your application to join ${GROUP_NAME} was approved.`);
    await approved.getByTestId('group-notice-dismiss').click();

    // Alice invites Carol by username; as the owner her invitation adds Carol at once.
    await a.page.getByTestId('group-invite-username').fill(carol.username);
    await a.page.getByTestId('group-invite-submit').click();
    await a.page.getByTestId('group-invite-result').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await memberRow(a.page, carolSession.userId).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // All three chat in the group, and each gets the others' messages under their names.
    await openGroupChat(a.page, groupId);
    await openGroupChat(b.page, groupId);
    await openGroupChat(c.page, groupId);
    await sendText(a.page, '周六早上八点集合');
    await sendText(b.page, '好的，我带地图');
    await sendText(c.page, '我带水 💧');
    for (const [page, text] of [
      [a.page, '周六早上八点集合'],
      [b.page, '好的，我带地图'],
      [c.page, '我带水 💧'],
    ] as const) {
      await expect.poll(() => statusesOf(page, text), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    }
    for (const page of [b.page, c.page]) {
      await expect.poll(() => textsFrom(page, aliceSession.userId), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['周六早上八点集合']);
    }
    await expect.poll(() => textsFrom(a.page, bobSession.userId), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['好的，我带地图']);
    await expect.poll(() => textsFrom(a.page, carolSession.userId), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['我带水 💧']);
    await expect.poll(() => textsFrom(c.page, bobSession.userId), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['好的，我带地图']);

    // Alice kicks Carol from the member list.
    await openGroupPanel(a.page);
    await clickAndConfirm(a.page, memberRow(a.page, carolSession.userId).getByTestId('member-kick'));
    await expect.poll(() => memberRow(a.page, carolSession.userId).count(), { timeout: UI_TIMEOUT_MS }).toBe(0);

    // Carol's chat shows the kick, keeps the history and offers no composer.
    const carolView = c.page.getByTestId('chat-view');
    await expect.poll(() => carolView.getAttribute('data-group-state'), { timeout: DELIVERY_TIMEOUT_MS }).toBe('removed');
    await c.page.getByTestId('group-removed-notice').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await c.page.getByTestId('composer-input').count()).toBe(0);
    expect(await systemLineChanges(c.page)).toContain('kicked');
    expect(await textsFrom(c.page, aliceSession.userId)).toEqual(['周六早上八点集合']);

    // Bob gets Carol's removal as a system line, then Alice dissolves the group from the panel.
    await expect.poll(() => systemLineChanges(b.page), { timeout: DELIVERY_TIMEOUT_MS }).toContain('kicked');
    await clickAndConfirm(a.page, a.page.getByTestId('group-dissolve'));

    const bobView = b.page.getByTestId('chat-view');
    await expect.poll(() => bobView.getAttribute('data-group-state'), { timeout: DELIVERY_TIMEOUT_MS }).toBe('dissolved');
    await b.page.getByTestId('group-dissolved-notice').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await b.page.getByTestId('composer-input').count()).toBe(0);
    expect(await textsFrom(b.page, carolSession.userId)).toEqual(['我带水 💧']);
  });
});
