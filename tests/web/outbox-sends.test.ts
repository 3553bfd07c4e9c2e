// The outbox flush packing ready messages into `sends` frames, through the
// real socket client, store and encryption, with the test playing the edge.
// Covered: the count and byte limits, failures that stay per message, and the
// in-flight, retry and devices_changed handling of each cid inside a frame.

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as z from 'zod/mini';
import { base64UrlLength, envelopeSchema, RATCHET_HEADER_BYTES, type Envelope } from '../../protocol/envelope';
import { PING_FRAME, directConversationId, type ClientFrame, type ClientSendFrame, type ServerFrame } from '../../protocol/frames';
import { ENVELOPE_MAX_BYTES, ENVELOPE_RECIPIENTS_MAX, FRAME_MAX_BYTES, SENDS_PER_FRAME_MAX, TEXT_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { frameBytes } from '../../web/app/net/send-frames';
import { SEND_RETRY_DELAY_MS } from '../../web/app/net/outbox-flush';
import { readLastSeq } from '../../web/app/store/db';
import { listOutbox, storeEnvelope } from '../../web/app/store/outbox';
import { FakeKeyServer, signedInDevice } from './e2e-harness';
import { BOB, drain, until } from './helpers';
import { connectCaughtUp, createHarness, queueToBob, type Harness } from './socket-harness';

beforeEach(() => {
  // IndexedDB (fake-indexeddb) schedules its work with setImmediate, which stays real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});


function cidOf(index: number): string {
  return `cid-many-${String(index).padStart(3, '0')}`;
}

/** Returns the frames that carry messages (`send` and `sends`), in the order the client sent them. */
function messageFrames(harness: Harness): Array<Extract<ClientFrame, { type: 'send' | 'sends' }>> {
  return harness.socket().frames().filter((frame) => frame.type === 'send' || frame.type === 'sends');
}

/** Returns every `send` the client sent, unpacked from `sends` frames, in order. */
function sentMessages(harness: Harness): ClientSendFrame[] {
  return messageFrames(harness).flatMap((frame) => (frame.type === 'sends' ? frame.sends : [frame]));
}

const rawFrameSchema = z.looseObject({
  type: z.string(),
  cid: z.optional(z.string()),
  sends: z.optional(z.array(z.looseObject({ cid: z.string() }))),
});

/**
 * Returns the type and cids of each message frame sent, read without the
 * protocol schema, for tests in which the client sends a frame that fails it.
 */
function rawMessageFrames(harness: Harness): Array<{ type: string; cids: string[] }> {
  const frames = harness.socket().sent.filter((data) => data !== PING_FRAME).map((data) => rawFrameSchema.parse(JSON.parse(data)));
  return frames
    .filter((frame) => frame.type === 'send' || frame.type === 'sends')
    .map((frame) => ({ type: frame.type, cids: frame.sends ? frame.sends.map((send) => send.cid) : [frame.cid ?? ''] }));
}

function ackOf(harness: Harness, cid: string, seq: number): Extract<ServerFrame, { type: 'ack' }> {
  return { type: 'ack', cid, messageId: `m-${cid}`, conversationId: directConversationId(harness.userId, BOB), seq, ts: 10 + seq };
}

function recipientDevices(frame: ClientSendFrame | undefined): string[] {
  if (frame?.content.type !== 'e2e') throw new Error('expected an encrypted send frame');
  return frame.content.envelope.recipients.map((entry) => entry.device);
}

/**
 * Returns an envelope that makes the `send` frame of `cid` to BOB exactly
 * `bytes` long. Its ciphertexts are filler, which the test's edge never opens.
 */
function envelopeForFrameBytes(cid: string, bytes: number): Envelope {
  const entry = (device: string, ciphertextLength: number) => ({
    type: 'message' as const,
    device,
    header: 'A'.repeat(base64UrlLength(RATCHET_HEADER_BYTES)),
    ciphertext: 'A'.repeat(ciphertextLength),
  });
  const envelopeWith = (secondLength: number): Envelope => ({
    v: 1,
    senderDevice: 'device-filler',
    recipients: [entry('device-bob-1', 32_000), entry('device-bob-2', secondLength)],
  });
  const frameOf = (envelope: Envelope): ClientSendFrame => ({ type: 'send', cid, to: BOB, content: { type: 'e2e', envelope } });

  const base = frameBytes(frameOf(envelopeWith(100)));
  // Parsed, so that only its size can make the edge reject it.
  return envelopeSchema.parse(envelopeWith(100 + bytes - base));
}

describe('outbox sends frames', () => {
  test('forty messages go as 32 and 8', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = Array.from({ length: 40 }, (_, index) => cidOf(index));
    for (const cid of cids) await queueToBob(db, userId, cid);

    await connectCaughtUp(harness);
    await harness.sentCount('sends', 2);

    const frames = harness.socket().framesOfType('sends');
    expect(frames.map((frame) => frame.sends.length)).toEqual([SENDS_PER_FRAME_MAX, 40 - SENDS_PER_FRAME_MAX]);
    expect(harness.socket().framesOfType('send')).toEqual([]);
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual(cids);
    for (const frame of frames) expect(countUtf8Bytes(JSON.stringify(frame))).toBeLessThanOrEqual(FRAME_MAX_BYTES);

    const acks = cids.map((cid, index) => ackOf(harness, cid, index + 1));
    harness.socket().serverSends({ type: 'batch', frames: acks.slice(0, SENDS_PER_FRAME_MAX) });
    harness.socket().serverSends({ type: 'batch', frames: acks.slice(SENDS_PER_FRAME_MAX) });
    await until('outbox empty', async () => (await listOutbox(db)).length === 0);
    await drain();

    for (const cid of cids) expect((await db.get('messages', `m-${cid}`))?.status).toBe('sent');
    expect(await readLastSeq(db)).toBe(40);
    expect(sentMessages(harness)).toHaveLength(40);
    harness.client.stop();
  });

  test('byte limit splits large messages', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    // Control characters, which the payload's JSON escapes to six bytes each, give envelopes of about 33 KB.
    const bulky = '\u0001'.repeat(TEXT_MAX_BYTES);
    for (const index of [0, 1, 2]) await queueToBob(db, userId, cidOf(index), bulky);

    await connectCaughtUp(harness);
    await until('three messages sent', () => sentMessages(harness).length === 3);

    const frames = messageFrames(harness);
    const sizes = frames.map((frame) => countUtf8Bytes(JSON.stringify(frame)));
    expect(frames.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(FRAME_MAX_BYTES);
    // No frame could have taken the next message as well.
    for (let index = 0; index + 1 < frames.length; index++) {
      const next = frames[index + 1]!;
      const nextFirst = next.type === 'sends' ? next.sends[0]! : next;
      expect(sizes[index]! + 1 + frameBytes(nextFirst)).toBeGreaterThan(FRAME_MAX_BYTES);
    }
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual([0, 1, 2].map(cidOf));
    harness.client.stop();
  });

  test('message at frame limit goes alone', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = [0, 1, 2, 3].map(cidOf);
    for (const cid of cids) await queueToBob(db, userId, cid);
    await storeEnvelope(db, cids[1]!, envelopeForFrameBytes(cids[1]!, FRAME_MAX_BYTES));

    await connectCaughtUp(harness);
    await until('four messages sent', () => sentMessages(harness).length === 4);

    const frames = messageFrames(harness);
    expect(frames.map((frame) => frame.type)).toEqual(['send', 'send', 'sends']);
    expect(countUtf8Bytes(JSON.stringify(frames[1]))).toBe(FRAME_MAX_BYTES);
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual(cids);
    harness.client.stop();
  });

  test('message past frame limit fails', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = [0, 1, 2].map(cidOf);
    for (const cid of cids) await queueToBob(db, userId, cid);
    await storeEnvelope(db, cids[1]!, envelopeForFrameBytes(cids[1]!, FRAME_MAX_BYTES + 1));

    await connectCaughtUp(harness);
    await until('message failed', async () => (await db.get('messages', cids[1]!))?.status === 'failed');
    await harness.sentCount('sends', 1);

    expect((await db.get('messages', cids[1]!))?.failure).toEqual({ code: 'frame_too_large', limit: FRAME_MAX_BYTES, value: FRAME_MAX_BYTES + 1 });
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual([cids[0], cids[2]]);
    expect(harness.socket().framesOfType('send')).toEqual([]);
    expect((await listOutbox(db)).map((entry) => entry.cid)).toEqual([cids[0], cids[2]]);
    harness.client.stop();
  });

  test('schema-invalid send goes alone', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = [0, 1, 2, 3, 4].map(cidOf);
    for (const cid of cids) await queueToBob(db, userId, cid);
    const recipient = envelopeForFrameBytes(cids[2]!, FRAME_MAX_BYTES).recipients[0]!;
    const tooManyRecipients: Envelope = {
      v: 1,
      senderDevice: 'device-filler',
      recipients: Array.from({ length: ENVELOPE_RECIPIENTS_MAX + 1 }, (_, index) => ({ ...recipient, device: `device-${index}`, ciphertext: 'A'.repeat(100) })),
    };
    await storeEnvelope(db, cids[2]!, tooManyRecipients);

    await connectCaughtUp(harness);
    await until('five messages sent', () => rawMessageFrames(harness).flatMap((frame) => frame.cids).length === 5);

    expect(rawMessageFrames(harness)).toEqual([
      { type: 'sends', cids: [cids[0], cids[1]] },
      { type: 'send', cids: [cids[2]] },
      { type: 'sends', cids: [cids[3], cids[4]] },
    ]);
    harness.socket().serverSends({ type: 'error', code: 'invalid_request', message: 'Invalid send frame', cid: cids[2] });
    await until('message failed', async () => (await db.get('messages', cids[2]!))?.status === 'failed');
    expect((await db.get('messages', cids[2]!))?.failure).toEqual({ code: 'invalid_request' });
    harness.client.stop();
  });

  test('oversized envelope fails, neighbours sent', async () => {
    const keys = new FakeKeyServer();
    await signedInDevice(BOB, keys);
    await signedInDevice(BOB, keys);
    const harness = await createHarness({ keys });
    const { db, userId } = harness;
    const cids = [0, 1, 2].map(cidOf);
    await queueToBob(db, userId, cids[0]!);
    // About 33 KB of ciphertext for each of Bob's two devices: over ENVELOPE_MAX_BYTES together.
    await queueToBob(db, userId, cids[1]!, '\u0001'.repeat(TEXT_MAX_BYTES));
    await queueToBob(db, userId, cids[2]!);

    await connectCaughtUp(harness);
    await until('message failed', async () => (await db.get('messages', cids[1]!))?.status === 'failed');
    await harness.sentCount('sends', 1);

    const failure = (await db.get('messages', cids[1]!))?.failure;
    expect(failure?.code).toBe('envelope_too_large');
    expect(failure?.limit).toBe(ENVELOPE_MAX_BYTES);
    expect(failure?.value).toBeGreaterThan(ENVELOPE_MAX_BYTES);
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual([cids[0], cids[2]]);
    harness.client.stop();
  });

  test('messages typed during a send go together', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, cidOf(0));
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    await queueToBob(db, userId, cidOf(1));
    await queueToBob(db, userId, cidOf(2));
    void harness.client.flushOutbox();
    await drain();
    expect(sentMessages(harness)).toHaveLength(1);

    harness.socket().serverSends(ackOf(harness, cidOf(0), 1));
    await harness.sentCount('sends', 1);

    expect(messageFrames(harness).map((frame) => frame.type)).toEqual(['send', 'sends']);
    expect(sentMessages(harness).map((frame) => frame.cid)).toEqual([0, 1, 2].map(cidOf));
    harness.client.stop();
  });

  test('devices_changed resends only its cid', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = [0, 1, 2].map(cidOf);
    for (const cid of cids) await queueToBob(db, userId, cid);
    await connectCaughtUp(harness);
    await harness.sentCount('sends', 1);
    await signedInDevice(BOB, harness.keys);
    const bobDevices = harness.keys.devices.filter((device) => device.userId === BOB && device.active).map((device) => device.deviceId);

    harness.socket().serverSends({
      type: 'batch',
      frames: [
        ackOf(harness, cids[0]!, 1),
        { type: 'error', code: 'devices_changed', message: 'devices changed', cid: cids[1], devices: [{ userId: BOB, deviceIds: bobDevices }] },
        ackOf(harness, cids[2]!, 2),
      ],
    });
    await harness.sentCount('send', 1);

    const resent = harness.socket().framesOfType('send')[0];
    expect(resent?.cid).toBe(cids[1]);
    expect(recipientDevices(resent).sort()).toEqual([...bobDevices].sort());
    expect(recipientDevices(harness.socket().framesOfType('sends')[0]?.sends[1])).toHaveLength(1);
    expect((await listOutbox(db)).map((entry) => entry.cid)).toEqual([cids[1]]);
    harness.client.stop();
  });

  test('internal error retries only its cid', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const cids = [0, 1, 2].map(cidOf);
    for (const cid of cids) await queueToBob(db, userId, cid);
    await connectCaughtUp(harness);
    await harness.sentCount('sends', 1);

    harness.socket().serverSends({
      type: 'batch',
      frames: [
        ackOf(harness, cids[0]!, 1),
        { type: 'error', code: 'internal', message: 'storage failed', cid: cids[1] },
        ackOf(harness, cids[2]!, 2),
      ],
    });
    await until('acked messages left the outbox', async () => (await listOutbox(db)).length === 1);
    await drain();
    expect(sentMessages(harness)).toHaveLength(3);

    vi.advanceTimersByTime(SEND_RETRY_DELAY_MS);
    await harness.sentCount('send', 1);

    expect(harness.socket().framesOfType('send').map((frame) => frame.cid)).toEqual([cids[1]]);
    expect((await db.get('messages', cids[1]!))?.status).toBe('pending');
    harness.client.stop();
  });
});
