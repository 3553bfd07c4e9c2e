import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../protocol/errors';
import { CLOSE_UNAUTHORIZED, PROTOCOL_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/frames';
import { userObject } from '../../edge/objects/user-object';
import { registerUser } from './fixtures/accounts';
import { connectSocket, openSocket } from './fixtures/sockets';

describe('socket upgrade', () => {
  it('welcome names user and session', async () => {
    const alice = await registerUser();
    const { socket, welcome } = await openSocket(alice.token);

    expect(socket.protocol).toBe(PROTOCOL_SUBPROTOCOL);
    expect(welcome).toEqual({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      userId: alice.user.id,
      sessionId: alice.session.id,
      headSeq: 0,
    });
  });

  it.each([
    { case: 'no token', token: undefined },
    { case: 'an unknown token', token: 'A'.repeat(43) },
  ])('with $case is refused', async ({ token }) => {
    const socket = await connectSocket(token);

    expect(socket.protocol).toBe(PROTOCOL_SUBPROTOCOL);
    const frame = await socket.nextFrameOf('error');
    expect(frame.code).toBe('unauthorized');
    expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it('revoked only in the object is refused', async () => {
    const alice = await registerUser();
    // Only the object learns of this revocation, as when a revocation lands
    // between the Worker's D1 check and the upgrade reaching the object.
    await userObject(env, alice.user.id).revokeSessions([alice.session.id], 'signed_out');

    const socket = await connectSocket(alice.token);

    expect((await socket.nextFrameOf('error')).code).toBe('unauthorized');
    expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it('without feige subprotocol is rejected', async () => {
    const alice = await registerUser();
    const response = await SELF.fetch('http://localhost/ws', {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `feige.v0, bearer.${alice.token}` },
    });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error.code).toBe('invalid_request');
  });

  it('plain GET gets upgrade required', async () => {
    const response = await SELF.fetch('http://localhost/ws');

    expect(response.status).toBe(426);
    expect((await response.json<ErrorBody>()).error.code).toBe('invalid_request');
  });

  it('client close completes the handshake', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.ws.close(1000, 'bye');

    expect((await socket.closed).code).toBe(1000);
  });
});
