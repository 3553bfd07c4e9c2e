import { describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { openApp, register, signIn } from './harness/app-auth';
import {
  conversationItem,
  openConversation,
  sendText,
  startChatWith,
  statusesOf,
  textsIn,
} from './harness/app-chat';
import { waitForConnectionState } from './harness/app-shell';
import { apiRequest, errorCodeOf } from './harness/api';
import { PHONE_USER_AGENT } from './harness/browser';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

const KICKED_NOTICE_EN = 'You were signed out because your account signed in on another device.';

const sessionListSchema = z.object({
  sessions: z.array(z.object({ id: z.string(), deviceClass: z.string(), current: z.boolean() })),
});

describe('one session per device class', () => {
  const suite = useE2ESuite();

  test('R5 newer desktop sign-in kicks older', async () => {
    const alice = makeUser('alice');
    const bob = makeUser('bob');
    const firstDesktop = await suite.newClient('alice-desktop-1');
    const phone = await suite.newClient('alice-phone', { device: 'phone' });
    const secondDesktop = await suite.newClient('alice-desktop-2');
    const peer = await suite.newClient('bob');

    await openApp(firstDesktop.page);
    const firstSession = await register(firstDesktop.page, alice);
    expect(firstSession.deviceClass).toBe('desktop');
    await waitForConnectionState(firstDesktop.page, 'online');

    await openApp(peer.page);
    await register(peer.page, bob);

    await openApp(phone.page);
    const phoneSession = await signIn(phone.page, alice);
    expect(phoneSession.deviceClass).toBe('phone');
    await waitForConnectionState(phone.page, 'online');

    // The phone class has room of its own, so the first desktop is still signed in.
    expect((await apiRequest(suite.server.url, 'GET', '/me', { token: firstSession.token })).status).toBe(200);

    await openApp(secondDesktop.page);
    const secondSession = await signIn(secondDesktop.page, alice);
    expect(secondSession.deviceClass).toBe('desktop');

    // The first desktop is forced back to the sign-in screen with the notice.
    const notice = firstDesktop.page.getByTestId('kicked-notice');
    await notice.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    expect((await notice.textContent())?.trim()).toBe(KICKED_NOTICE_EN);
    expect(await firstDesktop.page.getByTestId('signin-form').isVisible()).toBe(true);
    expect
      .soft(firstDesktop.log.receivedFrames(), 'frames received by the first desktop')
      .toContainEqual({ type: 'kicked', reason: 'signed_in_elsewhere' });

    const deadToken = await apiRequest(suite.server.url, 'GET', '/me', { token: firstSession.token });
    expect(deadToken.status).toBe(401);
    expect(errorCodeOf(deadToken.body)).toBe('unauthorized');

    const listed = await apiRequest(suite.server.url, 'GET', '/sessions', { token: secondSession.token });
    expect(listed.status).toBe(200);
    const sessions = sessionListSchema.parse(listed.body).sessions;
    expect(sessions.map((session) => session.id).sort()).toEqual([phoneSession.sessionId, secondSession.sessionId].sort());
    expect(sessions.find((session) => session.current)?.id).toBe(secondSession.sessionId);
    expect(sessions.find((session) => session.id === phoneSession.sessionId)?.deviceClass).toBe('phone');

    const phoneStillValid = await apiRequest(suite.server.url, 'GET', '/me', {
      token: phoneSession.token,
      userAgent: PHONE_USER_AGENT,
    });
    expect(phoneStillValid.status).toBe(200);

    // A reload must not bring the revoked session back.
    await firstDesktop.page.reload();
    await firstDesktop.page.getByTestId('signin-form').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await firstDesktop.page.getByTestId('connection-state').count()).toBe(0);

    // The phone still sends and receives.
    await startChatWith(phone.page, bob.username);
    const phoneCid = await sendText(phone.page, 'from the phone');
    await expect.poll(() => statusesOf(phone.page, 'from the phone'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);

    await expect
      .poll(async () => (await conversationItem(peer.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(peer.page, alice.username);
    await expect.poll(() => textsIn(peer.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['from the phone']);

    await sendText(peer.page, 'to the phone');
    await expect
      .poll(() => textsIn(phone.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['from the phone', 'to the phone']);

    // Alice's remaining desktop shows the same conversation in the same order.
    await expect
      .poll(async () => (await conversationItem(secondDesktop.page, bob.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(secondDesktop.page, bob.username);
    await expect
      .poll(() => textsIn(secondDesktop.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['from the phone', 'to the phone']);

    // R5: the phone's message was sent after the kick, so the first desktop must never have seen it.
    expect(phoneCid).not.toBeNull();
    expect(firstDesktop.log.receivedMessageCids()).not.toContain(phoneCid);
  });
});
