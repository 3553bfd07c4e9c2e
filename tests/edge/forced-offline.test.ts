import { describe, expect, it } from 'vitest';
import { CLOSE_SESSION_REVOKED, CLOSE_UNAUTHORIZED } from '../../protocol/frames';
import type { ErrorBody } from '../../protocol/errors';
import type { SessionListResponse } from '../../protocol/api';
import { callApi, DESKTOP_USER_AGENT, PHONE_USER_AGENT, registerUser, signIn } from './fixtures/accounts';
import { connectSocket, openSocket } from './fixtures/sockets';

describe('forced offline', () => {
  it('second desktop sign-in kicks the first', async () => {
    const user = await registerUser({ userAgent: DESKTOP_USER_AGENT });
    const { socket: firstDesktop } = await openSocket(user.token);

    await signIn(user.username, { userAgent: DESKTOP_USER_AGENT });

    expect(await firstDesktop.nextFrame()).toEqual({ type: 'kicked', reason: 'signed_in_elsewhere' });
    expect((await firstDesktop.closed).code).toBe(CLOSE_SESSION_REVOKED);
    expect(firstDesktop.pendingFrames()).toEqual([]);
  });

  it('R5 kicked token opens nothing', async () => {
    const user = await registerUser({ userAgent: DESKTOP_USER_AGENT });
    await signIn(user.username, { userAgent: DESKTOP_USER_AGENT });

    const route = await callApi('/me', { token: user.token });
    expect(route.status).toBe(401);
    expect((await route.json<ErrorBody>()).error.code).toBe('unauthorized');

    const socket = await connectSocket(user.token);
    const frame = await socket.nextFrameOf('error');
    expect(frame.code).toBe('unauthorized');
    expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it('phone session survives desktop sign-in', async () => {
    const user = await registerUser({ userAgent: DESKTOP_USER_AGENT });
    const phone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });
    const { socket: phoneSocket } = await openSocket(phone.token);
    const { socket: desktopSocket } = await openSocket(user.token);

    const secondDesktop = await signIn(user.username, { userAgent: DESKTOP_USER_AGENT });
    expect((await desktopSocket.nextFrame()).type).toBe('kicked');

    // A sync reply after the kick shows the phone socket is still open and was sent nothing else.
    phoneSocket.send({ type: 'sync', after: 0 });
    expect((await phoneSocket.nextFrame()).type).toBe('sync.page');
    expect((await callApi('/me', { token: phone.token })).status).toBe(200);

    const list = await (await callApi('/sessions', { token: secondDesktop.token })).json<SessionListResponse>();
    expect(list.sessions.map((s) => s.id).sort()).toEqual([phone.session.id, secondDesktop.session.id].sort());
  });

  it('newest phone sign-in keeps one phone', async () => {
    const user = await registerUser({ userAgent: DESKTOP_USER_AGENT });
    const firstPhone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });
    const secondPhone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });

    expect((await callApi('/me', { token: firstPhone.token })).status).toBe(401);
    expect((await callApi('/me', { token: secondPhone.token })).status).toBe(200);
    expect((await callApi('/me', { token: user.token })).status).toBe(200);
  });
});
