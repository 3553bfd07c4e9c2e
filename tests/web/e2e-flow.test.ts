import { describe, expect, test } from 'vitest';
import { directConversationId, type InboxEvent } from '../../protocol/frames';
import { ONE_TIME_PREKEYS_LOW_THRESHOLD, ONE_TIME_PREKEYS_UPLOAD_MAX } from '../../protocol/limits';
import { fromBase64Url, toBase64Url } from '../../web/app/crypto/bytes';
import { listOutbox } from '../../web/app/store/outbox';
import type { FeigeDb, LocalContent } from '../../web/app/store/db';
import { until } from './helpers';
import { FakeKeyServer, openTab, queueText, sealQueued, sendQueued, sendText, signedInDevice, type Tab } from './e2e-harness';

const ALICE = 'alice';
const BOB = 'bob';

async function contentOf(db: FeigeDb, messageId: string): Promise<LocalContent | undefined> {
  return (await db.get('messages', messageId))?.content;
}

function messageId(event: InboxEvent | null): string {
  if (event?.kind !== 'message') throw new Error('expected a message event');
  return event.message.id;
}

async function noticesIn(tab: Tab, peerId: string): Promise<number> {
  const conversationId = directConversationId(tab.browser.userId, peerId);
  const all = await tab.browser.db.getAll('messages');
  return all.filter((message) => message.conversationId === conversationId && message.content.type === 'key_change').length;
}

/** Flips one character in the middle of the recipient entry's ciphertext. */
function tampered(event: InboxEvent | null): InboxEvent {
  if (event?.kind !== 'message' || event.message.content.type !== 'e2e') throw new Error('expected an encrypted message');
  const envelope = event.message.content.envelope;
  const entry = envelope.recipients[0]!;
  const bytes = fromBase64Url(entry.ciphertext);
  bytes[bytes.length >> 1]! ^= 0x01;
  const recipients = [{ ...entry, ciphertext: toBase64Url(bytes) }, ...envelope.recipients.slice(1)];
  return { ...event, message: { ...event.message, content: { type: 'e2e', envelope: { ...envelope, recipients } } } };
}

describe('end-to-end flow', () => {
  test('text reaches the peer decrypted', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);

    const sent = await sendText(alice, BOB, '你好 👋🏽 مرحبا', server);
    await bob.receive([sent.recipient!]);

    expect(await contentOf(bob.browser.db, messageId(sent.recipient))).toEqual({ type: 'text', text: '你好 👋🏽 مرحبا' });
    expect(JSON.stringify(sent.envelope)).not.toContain('你好');
  });

  test('conversation continues both ways', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);

    for (let round = 0; round < 3; round++) {
      const ping = await sendText(alice, BOB, `ping ${round}`, server);
      await bob.receive([ping.recipient!]);
      const pong = await sendText(bob, ALICE, `pong ${round}`, server);
      await alice.receive([pong.recipient!]);

      expect(await contentOf(bob.browser.db, messageId(ping.recipient))).toEqual({ type: 'text', text: `ping ${round}` });
      expect(await contentOf(alice.browser.db, messageId(pong.recipient))).toEqual({ type: 'text', text: `pong ${round}` });
    }
  });

  test("own message readable on sender's other device", async () => {
    const server = new FakeKeyServer();
    const desktop = await signedInDevice(ALICE, server);
    const phone = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);

    const sent = await sendText(desktop, BOB, 'from the desktop', server);
    await phone.receive([sent.sender]);
    await bob.receive([sent.recipient!]);

    expect(sent.envelope.recipients).toHaveLength(2);
    expect(await contentOf(phone.browser.db, messageId(sent.sender))).toEqual({ type: 'text', text: 'from the desktop' });
    expect(await contentOf(bob.browser.db, messageId(sent.recipient))).toEqual({ type: 'text', text: 'from the desktop' });
  });

  test('sending device keeps its own plaintext', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    await signedInDevice(BOB, server);

    const sent = await sendText(alice, BOB, 'mine', server);
    await alice.receive([sent.sender]);

    expect(await contentOf(alice.browser.db, messageId(sent.sender))).toEqual({ type: 'text', text: 'mine' });
    expect(await listOutbox(alice.browser.db)).toEqual([]);
  });

  test('note to self from the only device', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);

    const sent = await sendText(alice, ALICE, 'buy milk', server);
    await alice.receive([sent.sender]);

    expect(sent.envelope.recipients).toEqual([]);
    expect(await contentOf(alice.browser.db, messageId(sent.sender))).toEqual({ type: 'text', text: 'buy milk' });
  });

  test('new device shows older messages as placeholders', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bobOld = await signedInDevice(BOB, server);
    const before = await sendText(alice, BOB, 'before', server);
    await bobOld.receive([before.recipient!]);

    server.signOut(bobOld.browser.own.deviceId!);
    const bobNew = await signedInDevice(BOB, server);
    await bobNew.receive(server.inbox(BOB));

    expect(await contentOf(bobNew.browser.db, messageId(before.recipient))).toEqual({
      type: 'unavailable',
      reason: 'not_for_this_device',
    });
  });

  test('devices_changed re-encrypts for the new device', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bobOld = await signedInDevice(BOB, server);
    await sendText(alice, BOB, 'warm up the device list', server);
    server.signOut(bobOld.browser.own.deviceId!);
    const bobNew = await signedInDevice(BOB, server);

    const cid = await queueText(alice, BOB, 'after');
    const stale = await sealQueued(alice, cid);
    await alice.e2e.devicesChanged(cid, [{ userId: BOB, deviceIds: [bobNew.browser.own.deviceId!] }]);
    const retried = await sendQueued(alice, cid, server);
    await bobNew.receive([retried.recipient!]);

    expect(stale.recipients.map((entry) => entry.device)).toEqual([bobOld.browser.own.deviceId]);
    expect(retried.envelope.recipients.map((entry) => entry.device)).toEqual([bobNew.browser.own.deviceId]);
    expect(await contentOf(bobNew.browser.db, messageId(retried.recipient))).toEqual({ type: 'text', text: 'after' });
  });

  test('changed contact keys add one notice', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bobOld = await signedInDevice(BOB, server);
    await alice.e2e.checkContact(BOB);
    const first = await noticesIn(alice, BOB);

    server.signOut(bobOld.browser.own.deviceId!);
    await signedInDevice(BOB, server);
    await alice.e2e.checkContact(BOB);
    await alice.e2e.checkContact(BOB);

    expect(first).toBe(0);
    expect(await noticesIn(alice, BOB)).toBe(1);
  });

  test('same device signing in again adds no notice', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);
    await alice.e2e.checkContact(BOB);

    server.signOut(bob.browser.own.deviceId!);
    await alice.e2e.checkContact(BOB);
    await openTab(bob.browser, server).e2e.prepare();
    await alice.e2e.checkContact(BOB);

    expect(server.devices.filter((device) => device.userId === BOB)).toHaveLength(1);
    expect(await noticesIn(alice, BOB)).toBe(0);
  });

  test('message from a new device adds a notice', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bobOld = await signedInDevice(BOB, server);
    await alice.e2e.checkContact(BOB);
    server.signOut(bobOld.browser.own.deviceId!);
    const bobNew = await signedInDevice(BOB, server);

    const sent = await sendText(bobNew, ALICE, 'hello from my new phone', server);
    await alice.receive([sent.recipient!]);

    await until('key-change notice stored', async () => (await noticesIn(alice, BOB)) === 1);
    expect(await contentOf(alice.browser.db, messageId(sent.recipient))).toEqual({
      type: 'text',
      text: 'hello from my new phone',
    });
  });

  test('tampered message shows a placeholder', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);
    const first = await sendText(alice, BOB, 'one', server);
    await bob.receive([first.recipient!]);

    const second = await sendText(alice, BOB, 'two', server);
    await bob.receive([tampered(second.recipient)]);
    const third = await sendText(alice, BOB, 'three', server);
    await bob.receive([third.recipient!]);

    expect(await contentOf(bob.browser.db, messageId(second.recipient))).toEqual({
      type: 'unavailable',
      reason: 'undecryptable',
    });
    expect(await contentOf(bob.browser.db, messageId(third.recipient))).toEqual({ type: 'text', text: 'three' });
  });

  test('lost session repairs itself', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);
    const hello = await sendText(alice, BOB, 'hello', server);
    await bob.receive([hello.recipient!]);
    const reply = await sendText(bob, ALICE, 'hi', server);
    await alice.receive([reply.recipient!]);

    await bob.browser.store.deletePeerRecord(alice.browser.own.deviceId!);
    const lost = await sendText(alice, BOB, 'lost', server);
    await bob.receive([lost.recipient!]);
    await until('control message queued', async () => (await listOutbox(bob.browser.db)).length === 1);
    const [control] = await listOutbox(bob.browser.db);
    const reset = await sendQueued(bob, control!.cid, server);
    await alice.receive([reset.recipient!]);
    const repaired = await sendText(alice, BOB, 'repaired', server);
    await bob.receive([repaired.recipient!]);

    expect(await contentOf(bob.browser.db, messageId(lost.recipient))).toEqual({ type: 'unavailable', reason: 'undecryptable' });
    expect(control!.content).toEqual({ type: 'session_reset' });
    expect(reset.envelope.recipients[0]!.type).toBe('prekey');
    expect(await alice.browser.db.get('messages', messageId(reset.recipient))).toBeUndefined();
    expect(await contentOf(bob.browser.db, messageId(repaired.recipient))).toEqual({ type: 'text', text: 'repaired' });
    expect(bob.flushes).toBe(1);
  });

  test('repair waits for its answer', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);
    const hello = await sendText(alice, BOB, 'hello', server);
    await bob.receive([hello.recipient!]);
    await bob.browser.store.deletePeerRecord(alice.browser.own.deviceId!);

    const lost = [await sendText(alice, BOB, 'lost 1', server), await sendText(alice, BOB, 'lost 2', server)];
    await bob.receive([lost[0]!.recipient!]);
    await until('first control message queued', async () => (await listOutbox(bob.browser.db)).length === 1);
    await bob.receive([lost[1]!.recipient!]);

    expect(await listOutbox(bob.browser.db)).toHaveLength(1);
  });

  test('two tabs decrypt one message once', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);
    const bobOtherTab = openTab(bob.browser, server);
    await bobOtherTab.e2e.prepare();

    const sent = [await sendText(alice, BOB, 'first', server), await sendText(alice, BOB, 'second', server)];
    const events = sent.map((message) => message.recipient!);
    await Promise.all([bob.receive(events), bobOtherTab.receive(events), bobOtherTab.receive([events[0]!])]);

    expect(await contentOf(bob.browser.db, messageId(events[0]!))).toEqual({ type: 'text', text: 'first' });
    expect(await contentOf(bob.browser.db, messageId(events[1]!))).toEqual({ type: 'text', text: 'second' });
    expect(await listOutbox(bob.browser.db)).toEqual([]);
  });

  test('two tabs send without breaking the session', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const aliceOtherTab = openTab(alice.browser, server);
    await aliceOtherTab.e2e.prepare();
    const bob = await signedInDevice(BOB, server);

    const sent = await Promise.all([
      sendText(alice, BOB, 'tab one', server),
      sendText(aliceOtherTab, BOB, 'tab two', server),
      sendText(alice, BOB, 'tab one again', server),
    ]);
    await bob.receive(server.inbox(BOB));

    for (const message of sent) {
      const content = await contentOf(bob.browser.db, messageId(message.recipient));
      expect(content?.type).toBe('text');
    }
  });

  test('resend carries the same envelope', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    await signedInDevice(BOB, server);

    const cid = await queueText(alice, BOB, 'once');
    const first = await sealQueued(alice, cid);
    const again = await sealQueued(alice, cid);

    expect(again).toEqual(first);
  });

  test('low prekeys are topped up', async () => {
    const server = new FakeKeyServer();
    const bob = await signedInDevice(BOB, server);
    const device = server.devices[0]!;
    const claims = ONE_TIME_PREKEYS_UPLOAD_MAX - ONE_TIME_PREKEYS_LOW_THRESHOLD + 1;
    device.oneTimePreKeys.splice(0, claims);

    await bob.e2e.preKeysLow();

    expect(device.oneTimePreKeys).toHaveLength(ONE_TIME_PREKEYS_LOW_THRESHOLD - 1 + ONE_TIME_PREKEYS_UPLOAD_MAX);
    const ids = device.oneTimePreKeys.map((key) => key.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('safety number matches on both sides', async () => {
    const server = new FakeKeyServer();
    const alice = await signedInDevice(ALICE, server);
    const bob = await signedInDevice(BOB, server);

    const seenByAlice = await alice.e2e.safetyNumber(BOB);
    const seenByBob = await bob.e2e.safetyNumber(ALICE);

    expect(seenByAlice).toHaveLength(12);
    expect(seenByAlice!.every((group) => /^\d{5}$/.test(group))).toBe(true);
    expect(seenByBob).toEqual(seenByAlice);
  });
});
