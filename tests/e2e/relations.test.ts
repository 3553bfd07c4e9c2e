// Relations in the real PWA. One user finds another by a Chinese display
// name, the friend request is accepted on the other side, they chat, and a
// block makes the next message fail with the notice. A display name with
// markup must render as text everywhere. An avatar is cropped and scaled in
// the browser and served back by the edge.

import { describe, expect, test } from 'vitest';
import { AVATAR_SIZE_PX } from '../../protocol/limits';
import { openApp, register } from './harness/app-auth';
import { conversationItem, openConversation, sendText, showChats, statusesOf, textsIn } from './harness/app-chat';
import {
  contactItem,
  openContactsTab,
  openProfileFromSearch,
  requestItem,
  searchFor,
  searchResult,
  sendFriendRequest,
  waitForProfile,
} from './harness/app-relations';
import { waitForConnectionState } from './harness/app-shell';
import { registerViaApi } from './harness/api';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { twoColourPng } from './harness/png';
import { makeUser } from './harness/users';

/** The English catalog's texts the tests expect to see. */
const NOT_ALLOWED_NOTICE = 'Not delivered: this person does not accept messages from you.';

const MARKUP_NAME = '<img src=x onerror=alert(1)>';

describe('relations in the PWA', () => {
  const suite = useE2ESuite();

  test('friend by Chinese name, chat, block', async () => {
    const alice = makeUser('alice', 'Alice');
    const bob = makeUser('bob', '张伟明');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');
    await openApp(a.page);
    await register(a.page, alice);
    await openApp(b.page);
    await register(b.page, bob);
    await waitForConnectionState(a.page, 'online');
    await waitForConnectionState(b.page, 'online');

    // Alice finds Bob by two characters inside his display name.
    await searchFor(a.page, '张伟');
    await searchResult(a.page, bob.username).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await searchResult(a.page, bob.username).getByTestId('user-row-name').textContent()).toBe('张伟明');
    await openProfileFromSearch(a.page, bob.username);
    await sendFriendRequest(a.page, '我是爱丽丝');

    // Bob gets the request with its message and accepts it.
    await openContactsTab(b.page, 'requests');
    const request = requestItem(b.page, alice.username);
    await request.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    expect(await request.getByTestId('request-message').textContent()).toBe('我是爱丽丝');
    await request.getByTestId('request-accept').click();
    await openContactsTab(b.page, 'friends');
    await contactItem(b.page, alice.username).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // Alice's profile of Bob shows the friendship (it reloads on the `friend accepted` event); she messages him.
    await a.page.getByTestId('profile-remove-friend').waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    await a.page.getByTestId('profile-message').click();
    await a.page.getByTestId('chat-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await sendText(a.page, '你好，张伟明');
    await expect.poll(() => statusesOf(a.page, '你好，张伟明'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);

    await showChats(b.page);
    await expect
      .poll(async () => (await conversationItem(b.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(b.page, alice.username);
    await expect.poll(() => textsIn(b.page, { mine: false }), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['你好，张伟明']);

    // Bob blocks Alice from her profile.
    await openContactsTab(b.page, 'friends');
    await contactItem(b.page, alice.username).locator('a').click();
    await waitForProfile(b.page);
    await b.page.getByTestId('profile-block').click();
    await expect.poll(() => b.page.getByTestId('profile-block').getAttribute('data-state')).toBe('blocking');

    // Alice's next message is rejected, and the composer shows the notice.
    await sendText(a.page, '还在吗？');
    await expect.poll(() => statusesOf(a.page, '还在吗？'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['failed']);
    await expect.poll(() => a.page.getByTestId('composer-error').textContent()).toBe(NOT_ALLOWED_NOTICE);
    await showChats(b.page);
    await openConversation(b.page, alice.username);
    expect(await textsIn(b.page, { mine: false })).toEqual(['你好，张伟明']);
  });

  test('markup name stays text everywhere', async () => {
    const viewer = makeUser('viewer', 'Viewer');
    const markup = makeUser('markup', MARKUP_NAME);
    await registerViaApi(suite.server.url, markup);
    const v = await suite.newClient('viewer');
    const dialogs: string[] = [];
    v.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openApp(v.page);
    await register(v.page, viewer);

    // Search: the trigram index finds the name by a substring with markup characters in it.
    await searchFor(v.page, 'src=x');
    const result = searchResult(v.page, markup.username);
    await result.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await result.getByTestId('user-row-name').textContent()).toBe(MARKUP_NAME);

    // Profile.
    await openProfileFromSearch(v.page, markup.username);
    expect(await v.page.getByTestId('profile-name').textContent()).toBe(MARKUP_NAME);

    // Chat title and conversation list, after opening a chat from the profile.
    await v.page.getByTestId('profile-message').click();
    await v.page.getByTestId('chat-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await expect.poll(() => v.page.getByTestId('chat-title').textContent()).toBe(MARKUP_NAME);
    await showChats(v.page);
    await expect.poll(() => conversationItem(v.page, markup.username).getByTestId('conversation-title').textContent()).toBe(MARKUP_NAME);

    expect(await v.page.locator('img[src="x"]').count()).toBe(0);
    expect(await v.page.locator('img:not(.avatar-image)').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  test('avatar cropped, scaled, served', async () => {
    const owner = makeUser('owner', 'Owner');
    const o = await suite.newClient('owner');
    await openApp(o.page);
    await register(o.page, owner);
    await o.page.getByTestId('nav-settings').click();
    await o.page.getByTestId('settings-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    await o.page
      .getByTestId('profile-avatar-input')
      .setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: twoColourPng(400, 300) });
    const avatar = o.page.locator('.avatar-picker img.avatar-image');
    await avatar.waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });

    const src = await avatar.getAttribute('src');
    expect(src).toMatch(/^\/api\/v1\/avatars\//);
    const served = await o.page.evaluate(async (url) => {
      const response = await fetch(url);
      const bitmap = await createImageBitmap(await response.blob());
      return {
        type: response.headers.get('content-type'),
        nosniff: response.headers.get('x-content-type-options'),
        width: bitmap.width,
        height: bitmap.height,
      };
    }, src ?? '');
    expect(served.type).toBe('image/webp');
    expect(served.nosniff).toBe('nosniff');
    expect(served.width).toBe(AVATAR_SIZE_PX);
    expect(served.height).toBe(AVATAR_SIZE_PX);
  });
});
