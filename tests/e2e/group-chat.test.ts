import type { Page } from 'playwright-core';
import * as z from 'zod/mini';
import { describe, expect, test } from 'vitest';
import { apiRequest, type AuthSession } from './harness/api';
import { openApp, register } from './harness/app-auth';
import { messagesIn, sendText, showChats, statusesOf } from './harness/app-chat';
import { groupItem, openGroupChat } from './harness/app-groups';
import { waitForConnectionState } from './harness/app-shell';
import { useE2ESuite, type E2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

/** Above GROUP_E2E_MEMBERS_MAX, so the group is transport-encrypted and needs no sender keys. */
const TRANSPORT_MEMBER_LIMIT = 500;

const createdGroupSchema = z.object({ id: z.string(), encryption: z.string(), delivery: z.string() });

/** Registers Alice and Bob in two browsers and waits until both are online. */
async function twoUsersOnline(suite: E2ESuite) {
  const alice = makeUser('alice', 'Alice 爱丽丝');
  const bob = makeUser('bob', 'Bob 鲍勃');
  const a = await suite.newClient('alice');
  const b = await suite.newClient('bob');
  await openApp(a.page);
  const aliceSession = await register(a.page, alice);
  await openApp(b.page);
  const bobSession = await register(b.page, bob);
  await waitForConnectionState(a.page, 'online');
  await waitForConnectionState(b.page, 'online');
  return { alice, bob, a, b, aliceSession, bobSession };
}

/** Creates an open group as `owner` and has `joiner` join it through the API. */
async function createJoinedGroup(suite: E2ESuite, owner: AuthSession, joiner: AuthSession, body: Record<string, unknown>) {
  const created = await apiRequest(suite.server.url, 'POST', '/groups', { token: owner.token, body: { ...body, joinPolicy: 'open' } });
  expect(created.status).toBe(201);
  const group = createdGroupSchema.parse(created.body);

  const joined = await apiRequest(suite.server.url, 'POST', `/groups/${group.id}/applications`, { token: joiner.token, body: {} });
  expect(joined.status).toBe(200);
  return group;
}

/** Reads the sender name and text of each message from someone else in the open chat. */
function incomingWithSenders(page: Page): Promise<Array<{ from: string | null; sender: string; text: string }>> {
  return page.locator('[data-testid="message-list"] [data-testid="message"][data-mine="false"]').evaluateAll((elements) =>
    elements.map((element) => ({
      from: element.getAttribute('data-from'),
      sender: element.querySelector('[data-testid="message-sender"]')?.textContent ?? '',
      text: element.querySelector('[data-testid="message-text"]')?.textContent ?? '',
    })),
  );
}

describe('group chat', () => {
  const suite = useE2ESuite();

  test('transport group chat both ways', async () => {
    const { alice, bob, a, b, aliceSession, bobSession } = await twoUsersOnline(suite);
    const group = await createJoinedGroup(suite, aliceSession, bobSession, { name: '徒步 Hikers', memberLimit: TRANSPORT_MEMBER_LIMIT });
    expect(group.encryption).toBe('transport');

    // Both see the group in their list, named from the server.
    for (const page of [a.page, b.page]) {
      await showChats(page);
      await expect
        .poll(() => groupItem(page, group.id).getByTestId('conversation-title').textContent(), { timeout: DELIVERY_TIMEOUT_MS })
        .toBe('徒步 Hikers');
    }

    await openGroupChat(a.page, group.id);
    const view = a.page.getByTestId('chat-view');
    expect(await view.getAttribute('data-group-state')).toBe('member');
    await a.page.getByTestId('group-encryption-notice').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await sendText(a.page, 'hello from Alice');
    await expect.poll(() => statusesOf(a.page, 'hello from Alice'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);

    await openGroupChat(b.page, group.id);
    await expect
      .poll(() => incomingWithSenders(b.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual([{ from: aliceSession.userId, sender: alice.displayName, text: 'hello from Alice' }]);

    await sendText(b.page, '鲍勃的回复');
    await expect.poll(() => statusesOf(b.page, '鲍勃的回复'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    await expect
      .poll(() => incomingWithSenders(a.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual([{ from: bobSession.userId, sender: bob.displayName, text: '鲍勃的回复' }]);

    const shown = await messagesIn(a.page);
    expect(shown.map((message) => message.text)).toEqual(['hello from Alice', '鲍勃的回复']);
    expect(await a.page.getByTestId('system-line').count()).toBeGreaterThan(0);

    // Kicked, Bob keeps the history but loses the composer.
    const kicked = await apiRequest(suite.server.url, 'DELETE', `/groups/${group.id}/members/${bobSession.userId}`, { token: aliceSession.token });
    expect(kicked.status).toBe(204);
    await b.page.getByTestId('group-removed-notice').waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    expect(await b.page.getByTestId('chat-view').getAttribute('data-group-state')).toBe('removed');
    expect(await b.page.getByTestId('composer-input').count()).toBe(0);
    expect((await messagesIn(b.page)).map((message) => message.text)).toEqual(['hello from Alice', '鲍勃的回复']);
    await expect.poll(() => b.page.locator('[data-testid="system-line"][data-change="kicked"]').count()).toBe(1);

    // Dissolved, the owner's chat turns read-only too.
    const dissolved = await apiRequest(suite.server.url, 'DELETE', `/groups/${group.id}`, { token: aliceSession.token });
    expect(dissolved.status).toBe(204);
    await a.page.getByTestId('group-dissolved-notice').waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    expect(await a.page.getByTestId('chat-view').getAttribute('data-group-state')).toBe('dissolved');
  });

  test('end-to-end group chat both ways', async () => {
    const { alice, bob, a, b, aliceSession, bobSession } = await twoUsersOnline(suite);
    const group = await createJoinedGroup(suite, aliceSession, bobSession, { name: 'Small group' });
    expect(group.encryption).toBe('end_to_end');
    expect(group.delivery).toBe('inbox');

    await openGroupChat(a.page, group.id);
    expect(await a.page.getByTestId('group-encryption-notice').count()).toBe(0);
    await sendText(a.page, 'sealed hello');
    await expect.poll(() => statusesOf(a.page, 'sealed hello'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);

    await openGroupChat(b.page, group.id);
    await expect
      .poll(() => incomingWithSenders(b.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual([{ from: aliceSession.userId, sender: alice.displayName, text: 'sealed hello' }]);

    await sendText(b.page, 'sealed reply');
    await expect.poll(() => statusesOf(b.page, 'sealed reply'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    await expect
      .poll(() => incomingWithSenders(a.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual([{ from: bobSession.userId, sender: bob.displayName, text: 'sealed reply' }]);
  });
});
