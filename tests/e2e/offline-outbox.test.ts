import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { InboxEvent } from '../../protocol/frames';
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

  test('R3 offline sends delivered once, in order', async () => {
    const { alice, a, b } = await chattingPair(suite);
    const texts = ['typed offline 1', 'typed offline 2', 'typed offline 3'];

    await a.context.setOffline(true);
    const wentOffline = await pollConnectionState(a.page, 'offline');
    expect.soft(wentOffline, 'connection-state after the context went offline').toBe('offline');
    const cids: string[] = [];
    for (const text of texts) {
      cids.push((await sendText(a.page, text)) ?? `no cid shown for ${text}`);
      expect(await statusesOf(a.page, text)).toEqual(['pending']);
    }

    await a.context.setOffline(false);
    for (const text of texts) {
      await expect.poll(() => statusesOf(a.page, text), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    }

    await expectDeliveredOnce(b.page, alice, texts);
    for (const text of texts) expect(await statusesOf(a.page, text)).toEqual(['sent']);
    const seqs = receivedSeqs(b, cids);
    for (const seq of seqs) expect(seq, `Bob's inbox seq of one of ${cids.join(', ')}`).toBeGreaterThan(0);
    expect(seqs, `Bob's inbox seqs of the messages ${cids.join(', ')}`).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size, 'distinct inbox seqs').toBe(texts.length);
    // With the socket closed, the messages waited in the outbox, and the reconnect sends them in one frame.
    if (wentOffline === 'offline') {
      const packed = a.log.sentFrames().flatMap((frame) => (frame.type === 'sends' ? [frame.sends.length] : []));
      expect(packed, 'sizes of the sends frames Alice sent').toContain(texts.length);
    }
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

    await expectDeliveredOnce(b.page, alice, ['typed before reload']);
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

/**
 * Checks that Bob's chat with Alice shows each of `texts` exactly once and in
 * the order given, before and after a reload. The edge gives the messages of
 * one batch increasing timestamps, and the chat orders by timestamp.
 */
async function expectDeliveredOnce(bobPage: Page, alice: TestUser, texts: readonly string[]): Promise<void> {
  const received = async () => (await textsIn(bobPage, { mine: false })).filter((shown) => texts.includes(shown));

  await expect.poll(async () => (await received()).length, { timeout: DELIVERY_TIMEOUT_MS }).toBeGreaterThanOrEqual(texts.length);
  await sleep(DUPLICATE_SETTLE_MS);
  expect(await received()).toEqual(texts);

  await bobPage.reload();
  await waitForShell(bobPage);
  await openConversation(bobPage, alice.username);
  await expect.poll(async () => (await received()).length, { timeout: DELIVERY_TIMEOUT_MS }).toBeGreaterThanOrEqual(texts.length);
  await sleep(DUPLICATE_SETTLE_MS);
  expect(await received()).toEqual(texts);
}

/** Returns the inbox seq of each cid among the message events the client received, live, batched or in sync pages; -1 when missing. */
function receivedSeqs(client: Client, cids: readonly string[]): number[] {
  const seqs = new Map<string, number>();
  for (const frame of client.log.receivedFrames()) {
    const frames = frame.type === 'batch' ? frame.frames : [frame];
    for (const inner of frames) {
      let events: InboxEvent[] = [];
      if (inner.type === 'event') events = [inner.event];
      if (inner.type === 'sync.page') events = inner.events;
      for (const event of events) if (event.kind === 'message') seqs.set(event.message.cid, event.seq);
    }
  }
  return cids.map((cid) => seqs.get(cid) ?? -1);
}
