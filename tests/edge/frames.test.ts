import { describe, expect, it } from 'vitest';
import { PING_FRAME, PONG_FRAME } from '../../protocol/frames';
import { FRAME_MAX_BYTES } from '../../protocol/limits';
import { registerUser } from './fixtures/accounts';
import { openSocket, type TestSocket } from './fixtures/sockets';

/** Builds a sync frame padded with an ignored field to exactly `bytes` bytes. */
function syncFrameOfBytes(bytes: number): string {
  const empty = JSON.stringify({ type: 'sync', after: 0, pad: '' });
  return JSON.stringify({ type: 'sync', after: 0, pad: 'x'.repeat(bytes - empty.length) });
}

/** Proves the socket is still open and in order: a sync gets its page as the next frame. */
async function expectStillOpen(socket: TestSocket): Promise<void> {
  socket.send({ type: 'sync', after: 0 });
  expect((await socket.nextFrame()).type).toBe('sync.page');
}

describe('client frames', () => {
  it.each([
    { case: 'malformed JSON', data: '{"type": "sync",', code: 'invalid_frame' },
    { case: 'a JSON array', data: '[1, 2]', code: 'invalid_frame' },
    { case: 'a JSON number', data: '42', code: 'invalid_frame' },
    { case: 'no type field', data: '{"after": 0}', code: 'invalid_frame' },
    { case: 'an unknown type', data: '{"type": "dance"}', code: 'unknown_frame' },
    { case: 'a missing field', data: '{"type": "sync"}', code: 'invalid_request' },
    { case: 'a wrong field type', data: '{"type": "sync", "after": "zero"}', code: 'invalid_request' },
  ])('$case gets an error and stays open', async ({ data, code }) => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.sendRaw(data);
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe(code);
    await expectStillOpen(socket);
  });

  it('invalid send names the field and cid', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.sendRaw(JSON.stringify({ type: 'send', cid: 'cid-00000001', to: alice.user.id, content: { type: 'text' } }));
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.cid).toBe('cid-00000001');
    expect(error.message).toContain('content.text');
    await expectStillOpen(socket);
  });

  it('binary frame is invalid', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.sendRaw(new Uint8Array([123, 125]).buffer);
    expect((await socket.nextFrameOf('error')).code).toBe('invalid_frame');
    await expectStillOpen(socket);
  });

  it('frame at FRAME_MAX_BYTES is parsed', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);
    const frame = syncFrameOfBytes(FRAME_MAX_BYTES);

    expect(new TextEncoder().encode(frame).byteLength).toBe(FRAME_MAX_BYTES);
    socket.sendRaw(frame);
    expect((await socket.nextFrame()).type).toBe('sync.page');
  });

  it('frame past FRAME_MAX_BYTES is rejected', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.sendRaw(syncFrameOfBytes(FRAME_MAX_BYTES + 1));
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('frame_too_large');
    expect(error.limit).toBe(FRAME_MAX_BYTES);
    expect(error.value).toBe(FRAME_MAX_BYTES + 1);
    await expectStillOpen(socket);
  });

  it('ping gets pong', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.sendRaw(PING_FRAME);

    expect(await socket.nextFrame()).toEqual(JSON.parse(PONG_FRAME));
  });
});
