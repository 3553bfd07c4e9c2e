import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, register, waitForShell } from './harness/app-auth';
import {
  conversationItem,
  openConversation,
  sendText,
  startChatWith,
  statusesOf,
  textsIn,
} from './harness/app-chat';
import {
  connectionState,
  pollConnectionState,
  waitForConnectionState,
  waitForServiceWorkerControl,
} from './harness/app-shell';
import type { Client } from './harness/browser';
import { useE2ESuite, type E2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, DUPLICATE_SETTLE_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser, type TestUser } from './harness/users';
import { sleep } from './harness/wait';

// Chromium's offline emulation (context.setOffline) fails new requests and new
// WebSockets, but an open WebSocket only stalls: frames queue up and flow
// again when the context goes back online (seen with Chromium 156 and
// playwright-core 1.65). So a message sent while offline waits either in the
// outbox or in that stalled socket. In both cases it must show as pending and
// arrive exactly once.

describe('sending while offline', () => {
  const suite = useE2ESuite();

  test('R3 offline send delivered once', async () => {
    const { alice, a, b } = await chattingPair(suite);

    await a.context.setOffline(true);
    expect
      .soft(await pollConnectionState(a.page, 'offline'), 'connection-state after the context went offline')
      .toBe('offline');
    await sendText(a.page, 'typed offline');
    expect(await statusesOf(a.page, 'typed offline')).toEqual(['pending']);

    await a.context.setOffline(false);
    await expect
      .poll(() => statusesOf(a.page, 'typed offline'), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);

    await expectDeliveredOnce(b.page, alice, 'typed offline');
    expect(await statusesOf(a.page, 'typed offline')).toEqual(['sent']);
  });

  test('R3 outbox survives offline reload', async () => {
    const { alice, bob, a, b } = await chattingPair(suite);
    await waitForServiceWorkerControl(a.page);
    await openConversation(a.page, bob.username);

    await a.context.setOffline(true);
    await sendText(a.page, 'typed before reload');
    expect(await statusesOf(a.page, 'typed before reload')).toEqual(['pending']);

    await a.page.reload();
    await waitForShell(a.page);
    expect.soft(await connectionState(a.page), 'connection-state after an offline reload').not.toBe('online');
    await openConversation(a.page, bob.username);
    await expect
      .poll(() => statusesOf(a.page, 'typed before reload'), { timeout: UI_TIMEOUT_MS })
      .toEqual(['pending']);

    await a.context.setOffline(false);
    await expect
      .poll(() => statusesOf(a.page, 'typed before reload'), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);

    await expectDeliveredOnce(b.page, alice, 'typed before reload');
  });
});

/** Registers Alice and Bob, has Alice greet Bob, and leaves both in their open chat. */
async function chattingPair(suite: E2ESuite): Promise<{ alice: TestUser; bob: TestUser; a: Client; b: Client }> {
  const alice = makeUser('alice');
  const bob = makeUser('bob');
  const a = await suite.newClient('alice');
  const b = await suite.newClient('bob');

  await openApp(a.page);
  await register(a.page, alice);
  await openApp(b.page);
  await register(b.page, bob);

  await startChatWith(a.page, bob.username);
  await sendText(a.page, 'hello while online');
  await expect.poll(() => statusesOf(a.page, 'hello while online'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
  await expect
    .poll(async () => (await conversationItem(b.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
    .toBe(true);
  await openConversation(b.page, alice.username);
  await waitForConnectionState(a.page, 'online');

  return { alice, bob, a, b };
}

/** Checks that Bob's chat with Alice shows `text` exactly once, before and after a reload. */
async function expectDeliveredOnce(bobPage: Page, alice: TestUser, text: string): Promise<void> {
  const occurrences = async () => (await textsIn(bobPage, { mine: false })).filter((shown) => shown === text).length;

  await expect.poll(occurrences, { timeout: DELIVERY_TIMEOUT_MS }).toBeGreaterThan(0);
  await sleep(DUPLICATE_SETTLE_MS);
  expect(await occurrences()).toBe(1);

  await bobPage.reload();
  await waitForShell(bobPage);
  await openConversation(bobPage, alice.username);
  await expect.poll(occurrences, { timeout: DELIVERY_TIMEOUT_MS }).toBeGreaterThan(0);
  await sleep(DUPLICATE_SETTLE_MS);
  expect(await occurrences()).toBe(1);
}
