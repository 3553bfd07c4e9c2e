// `sends` frames: several sends in one WebSocket message, handled in one batch
// of the sender's object. Each send is stored once and gets its ack or error
// in order, and the replies and live events of one batch travel as one
// `batch` frame.

import { describe, expect, it } from 'vitest';
import type { ClientSendFrame, ServerAckFrame, ServerFrame } from '../../protocol/frames';
import { FRAME_MAX_BYTES, GROUP_FANOUT_THRESHOLD, SENDS_PER_FRAME_MAX } from '../../protocol/limits';
import { contentTo, markerOf, registerUserWithDevice, type TestDevice } from './fixtures/devices';
import { openGroupSocket } from './fixtures/group-sockets';
import { createGroup, seedUsers } from './fixtures/groups';
import { syncAll } from './fixtures/relations';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

const COUNT = 5;

async function sendsTo(sender: TestDevice, recipientId: string, count: number): Promise<ClientSendFrame[]> {
  const content = await contentTo(sender, recipientId);
  return Array.from({ length: count }, () => ({ type: 'send', cid: newCid(), to: recipientId, content }));
}

async function markedSendsTo(sender: TestDevice, recipientId: string, count: number): Promise<ClientSendFrame[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => ({
      type: 'send' as const,
      cid: newCid(),
      to: recipientId,
      content: await contentTo(sender, recipientId, `m${index}`),
    })),
  );
}

async function nextFrames(socket: TestSocket, count: number): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  for (let index = 0; index < count; index++) frames.push(await socket.nextFrame());
  return frames;
}

async function messageCount(token: string): Promise<number> {
  const { socket } = await openSocket(token);
  const events = await syncAll(socket);
  socket.close();
  return events.filter((event) => event.kind === 'message').length;
}

describe('sends frames', () => {
  it('stores, acks and delivers in order', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const sends = await markedSendsTo(aliceDevice, bob.user.id, COUNT);

    aliceSocket.send({ type: 'sends', sends });
    const acks: ServerAckFrame[] = [];
    for (let index = 0; index < COUNT; index++) acks.push(await aliceSocket.nextFrameOf('ack'));
    const pushed: string[] = [];
    for (let index = 0; index < COUNT; index++) {
      const { event } = await bobSocket.nextFrameOf('event');
      pushed.push(event.kind === 'message' ? markerOf(event.message.content) : event.kind);
    }

    expect(acks.map((ack) => ack.cid)).toEqual(sends.map((send) => send.cid));
    expect(acks.map((ack) => ack.seq)).toEqual(acks.map((_, index) => acks[0]!.seq + index));
    // The chat orders by ts, so the messages of one batch must not share one.
    expect(acks.every((ack, index) => index === 0 || ack.ts > acks[index - 1]!.ts)).toBe(true);
    expect(pushed).toEqual(sends.map((_, index) => `m${index}`));
    expect(aliceSocket.received.slice(1).map((frame) => frame.type)).toEqual(['batch']);
    expect(bobSocket.received.slice(1).map((frame) => frame.type)).toEqual(['batch']);
    expect(await messageCount(bob.token)).toBe(COUNT);
    expect(await messageCount(alice.token)).toBe(COUNT);
  });

  it('echoes to other sockets in one batch', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: aliceOther } = await openSocket(alice.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, COUNT);

    aliceSocket.send({ type: 'sends', sends });
    await nextFrames(aliceSocket, COUNT);
    const echoes = await nextFrames(aliceOther, COUNT);

    expect(echoes.map((frame) => (frame.type === 'event' && frame.event.kind === 'message' ? frame.event.message.cid : frame.type))).toEqual(
      sends.map((send) => send.cid),
    );
    expect(aliceOther.received.slice(1).map((frame) => frame.type)).toEqual(['batch']);
  });

  it('single send answers without batch', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, 1);

    aliceSocket.send({ type: 'sends', sends });
    await aliceSocket.nextFrameOf('ack');
    await bobSocket.nextFrameOf('event');

    expect(aliceSocket.received.slice(1).map((frame) => frame.type)).toEqual(['ack']);
    expect(bobSocket.received.slice(1).map((frame) => frame.type)).toEqual(['event']);
  });

  it('accepts the maximum count', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, SENDS_PER_FRAME_MAX);

    aliceSocket.send({ type: 'sends', sends });
    const frames = await nextFrames(aliceSocket, SENDS_PER_FRAME_MAX);

    expect(frames.map((frame) => frame.type)).toEqual(sends.map(() => 'ack'));
    expect(await messageCount(bob.token)).toBe(SENDS_PER_FRAME_MAX);
  });

  it('rejects one past the maximum count', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, SENDS_PER_FRAME_MAX + 1);

    aliceSocket.sendRaw(JSON.stringify({ type: 'sends', sends }));
    const error = await aliceSocket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.limit).toBe(SENDS_PER_FRAME_MAX);
    expect(error.value).toBe(SENDS_PER_FRAME_MAX + 1);
    expect(error.message).toContain(`${SENDS_PER_FRAME_MAX + 1}`);
    expect(error.message).toContain(`${SENDS_PER_FRAME_MAX}`);
    expect(await messageCount(bob.token)).toBe(0);
  });

  it('rejects an empty sends', async () => {
    const { user: alice } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);

    aliceSocket.sendRaw(JSON.stringify({ type: 'sends', sends: [] }));
    const error = await aliceSocket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('no sends');
  });

  it('invalid send rejects whole frame', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const [valid] = await sendsTo(aliceDevice, bob.user.id, 1);

    aliceSocket.sendRaw(JSON.stringify({ type: 'sends', sends: [valid, { ...valid, cid: 'short' }] }));
    const error = await aliceSocket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('sends.1.cid');
    expect(error.cid).toBeUndefined();
    expect(await messageCount(bob.token)).toBe(0);
  });

  it('accepts a frame of maximum bytes', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, 2);

    // The schema drops unknown fields, so `padding` only sets the frame's size.
    aliceSocket.sendRaw(paddedFrame(sends, FRAME_MAX_BYTES));
    const frames = await nextFrames(aliceSocket, 2);

    expect(frames.map((frame) => frame.type)).toEqual(['ack', 'ack']);
  });

  it('rejects a frame one byte over', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const sends = await sendsTo(aliceDevice, bob.user.id, 2);

    aliceSocket.sendRaw(paddedFrame(sends, FRAME_MAX_BYTES + 1));
    const error = await aliceSocket.nextFrameOf('error');

    expect(error.code).toBe('frame_too_large');
    expect(error.value).toBe(FRAME_MAX_BYTES + 1);
    expect(await messageCount(bob.token)).toBe(0);
  });

  it('mixed outcomes answer every cid', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const [first, last] = await sendsTo(aliceDevice, bob.user.id, 2);
    const plain: ClientSendFrame = { type: 'send', cid: newCid(), to: bob.user.id, content: { type: 'text', text: 'not encrypted' } };
    const stranger: ClientSendFrame = { ...first!, cid: newCid(), to: 'no-such-user' };

    aliceSocket.send({ type: 'sends', sends: [first!, plain, stranger, last!] });
    const frames = await nextFrames(aliceSocket, 4);

    expect(frames.map((frame) => (frame.type === 'ack' || frame.type === 'error' ? frame.cid : undefined))).toEqual([
      first!.cid,
      plain.cid,
      stranger.cid,
      last!.cid,
    ]);
    expect(frames.map((frame) => (frame.type === 'error' ? frame.code : frame.type))).toEqual([
      'ack',
      'encryption_required',
      'recipient_not_found',
      'ack',
    ]);
    expect(await messageCount(bob.token)).toBe(2);
  });

  it('resend inside sends repeats ack', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const [earlier, fresh] = await sendsTo(aliceDevice, bob.user.id, 2);
    aliceSocket.send(earlier!);
    const firstAck = await aliceSocket.nextFrameOf('ack');

    aliceSocket.send({ type: 'sends', sends: [earlier!, fresh!, fresh!] });
    const frames = await nextFrames(aliceSocket, 3);

    expect(frames[0]).toEqual(firstAck);
    expect(frames[1]!.type).toBe('ack');
    expect(frames[2]).toEqual(frames[1]);
    expect(await messageCount(bob.token)).toBe(2);
  });

  it('group socket rejects sends', async () => {
    const [owner] = await seedUsers(1);
    const group = await createGroup(owner!, { memberLimit: GROUP_FANOUT_THRESHOLD + 100, joinPolicy: 'invite_only' });
    const socket = await openGroupSocket(owner!.token, group.id);

    socket.sendRaw(JSON.stringify({ type: 'sends', sends: [] }));
    const rejectedEmpty = await socket.nextFrameOf('error');
    socket.sendRaw(JSON.stringify({ type: 'sends', sends: [{ type: 'send', cid: newCid(), to: owner!.user.id, content: { type: 'text', text: 'x' } }] }));
    const rejected = await socket.nextFrameOf('error');

    expect(rejectedEmpty.code).toBe('invalid_request');
    expect(rejected.code).toBe('unknown_frame');
    expect(rejected.message).toContain('sends');
  });
});

/** Returns the JSON of a `sends` frame padded with an unknown field to exactly `bytes` bytes. */
function paddedFrame(sends: ClientSendFrame[], bytes: number): string {
  const empty = JSON.stringify({ type: 'sends', sends, padding: '' });
  return JSON.stringify({ type: 'sends', sends, padding: 'x'.repeat(bytes - empty.length) });
}
