import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { TEXT_MAX_BYTES } from '../../protocol/limits';
import { PHONE_USER_AGENT, registerUser, signIn } from './fixtures/accounts';
import { newCid, openSocket } from './fixtures/sockets';

describe('send', () => {
  it('acks sender and pushes to recipient', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const cid = newCid();

    aliceSocket.send({ type: 'send', cid, to: bob.user.id, content: { type: 'text', text: '你好, Bob' } });
    const ack = await aliceSocket.nextFrameOf('ack');
    const pushed = await bobSocket.nextFrameOf('event');

    const conversationId = directConversationId(alice.user.id, bob.user.id);
    expect(ack.cid).toBe(cid);
    expect(ack.conversationId).toBe(conversationId);
    expect(ack.seq).toBe(1);
    expect(pushed.event.kind).toBe('message');
    if (pushed.event.kind !== 'message') return;
    expect(pushed.event.seq).toBe(1);
    expect(pushed.event.message).toEqual({
      id: ack.messageId,
      conversationId,
      from: alice.user.id,
      to: bob.user.id,
      cid,
      content: { type: 'text', text: '你好, Bob' },
      ts: ack.ts,
    });
  });

  it('pushes to sender other devices', async () => {
    const alice = await registerUser();
    const alicePhone = await signIn(alice.username, { userAgent: PHONE_USER_AGENT });
    const bob = await registerUser();
    const { socket: desktop } = await openSocket(alice.token);
    const { socket: phone } = await openSocket(alicePhone.token);

    desktop.send({ type: 'send', cid: newCid(), to: bob.user.id, content: { type: 'text', text: 'hi' } });
    const ack = await desktop.nextFrameOf('ack');
    const mirrored = await phone.nextFrameOf('event');

    expect(mirrored.event.seq).toBe(ack.seq);
    expect(mirrored.event.kind).toBe('message');
    if (mirrored.event.kind === 'message') expect(mirrored.event.message.id).toBe(ack.messageId);
  });

  it('R1 resend with same cid', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const { socket } = await openSocket(alice.token);
    const cid = newCid();
    const frame = { type: 'send', cid, to: bob.user.id, content: { type: 'text', text: 'once' } } as const;

    socket.send(frame);
    const first = await socket.nextFrameOf('ack');
    socket.send(frame);
    const second = await socket.nextFrameOf('ack');

    expect(second).toEqual(first);
    const { socket: bobSocket, welcome } = await openSocket(bob.token);
    expect(welcome.headSeq).toBe(1);
    bobSocket.send({ type: 'sync', after: 0 });
    const page = await bobSocket.nextFrameOf('sync.page');
    expect(page.events).toHaveLength(1);
  });

  it('note to self is stored once', async () => {
    const alice = await registerUser();
    const alicePhone = await signIn(alice.username, { userAgent: PHONE_USER_AGENT });
    const { socket: desktop } = await openSocket(alice.token);
    const { socket: phone } = await openSocket(alicePhone.token);

    desktop.send({ type: 'send', cid: newCid(), to: alice.user.id, content: { type: 'text', text: 'buy milk' } });
    const ack = await desktop.nextFrameOf('ack');
    const mirrored = await phone.nextFrameOf('event');
    desktop.send({ type: 'sync', after: 0 });
    const page = await desktop.nextFrameOf('sync.page');

    expect(ack.conversationId).toBe(directConversationId(alice.user.id, alice.user.id));
    expect(mirrored.event.seq).toBe(ack.seq);
    expect(page.events).toHaveLength(1);
    expect(page.headSeq).toBe(ack.seq);
  });

  it('text at the byte limit', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);
    // '中' is 3 bytes in UTF-8.
    const atLimit = '中'.repeat(Math.floor(TEXT_MAX_BYTES / 3)) + 'a'.repeat(TEXT_MAX_BYTES % 3);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: alice.user.id, content: { type: 'text', text: atLimit } });
    const ack = await socket.nextFrameOf('ack');

    expect(ack.cid).toBe(cid);
  });

  it('text one byte past limit', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);
    const pastLimit = '中'.repeat(Math.floor(TEXT_MAX_BYTES / 3)) + 'a'.repeat((TEXT_MAX_BYTES % 3) + 1);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: alice.user.id, content: { type: 'text', text: pastLimit } });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('text_too_long');
    expect(error.cid).toBe(cid);
    expect(error.limit).toBe(TEXT_MAX_BYTES);
    expect(error.value).toBe(TEXT_MAX_BYTES + 1);
    socket.send({ type: 'sync', after: 0 });
    const page = await socket.nextFrameOf('sync.page');
    expect(page.events).toHaveLength(0);
  });

  it('unknown recipient gets an error', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: 'no-such-user-id', content: { type: 'text', text: 'hello?' } });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('recipient_not_found');
    expect(error.cid).toBe(cid);
  });
});
