import { describe, expect, test } from 'vitest';
import { openAndRegister, openApp, register } from './harness/app-auth';
import {
  conversationItem,
  openConversation,
  sendText,
  showChats,
  startChatWith,
  statusesOf,
  textsIn,
  unreadCountText,
} from './harness/app-chat';
import { waitForConnectionState } from './harness/app-shell';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

// Mixes CJK, an emoji with a skin-tone modifier (two code points) and right-to-left Arabic.
const MIXED_TEXT = '你好 👋🏽 مرحبا';

/** Messages typed and sent in quick succession, each before the one before it was stored. */
const QUICK_TEXTS = Array.from({ length: 10 }, (_, index) => `quick ${index + 1}`);

describe('two users chatting', () => {
  const suite = useE2ESuite();

  test('quickly typed messages all send', async () => {
    const alice = makeUser('alice');
    const bob = makeUser('bob');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');
    await openAndRegister(a.page, alice);
    await openAndRegister(b.page, bob);
    await startChatWith(a.page, bob.username);

    // No wait for a message to show before the next is typed: the composer
    // must not wipe text typed while the message before it is stored.
    const composer = a.page.getByTestId('composer-input');
    for (const text of QUICK_TEXTS) {
      await composer.fill(text);
      await composer.press('Enter');
    }

    await expect.poll(() => textsIn(a.page, { mine: true }), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(QUICK_TEXTS);
    expect(await composer.inputValue()).toBe('');
    await openConversation(b.page, alice.username);
    await expect.poll(() => textsIn(b.page, { mine: false }), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(QUICK_TEXTS);
  });

  test('text reaches peer both ways', async () => {
    const alice = makeUser('alice', 'Alice 爱丽丝');
    const bob = makeUser('bob', 'Bob 鲍勃');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');

    await openApp(a.page);
    await register(a.page, alice);
    await openApp(b.page);
    await register(b.page, bob);
    await waitForConnectionState(a.page, 'online');
    await waitForConnectionState(b.page, 'online');

    // Alice -> Bob while Bob looks at his conversation list.
    await showChats(b.page);
    const conversationId = await startChatWith(a.page, bob.username);
    await sendText(a.page, MIXED_TEXT);

    await expect
      .poll(() => statusesOf(a.page, MIXED_TEXT), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);

    const aliceOnBob = conversationItem(b.page, alice.username);
    await expect
      .poll(async () => (await aliceOnBob.count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    expect(await aliceOnBob.getAttribute('data-conversation-id')).toBe(conversationId);
    await expect
      .poll(() => aliceOnBob.getByTestId('conversation-last').textContent(), { timeout: DELIVERY_TIMEOUT_MS })
      .toContain(MIXED_TEXT);
    await expect.poll(() => unreadCountText(b.page, alice.username)).toBe('1');
    expect.soft(await aliceOnBob.getByTestId('conversation-title').textContent()).toContain(alice.displayName);

    await openConversation(b.page, alice.username);
    await expect.poll(() => textsIn(b.page, { mine: false })).toEqual([MIXED_TEXT]);

    // Bob -> Alice while Alice is back on her conversation list.
    await showChats(a.page);
    await sendText(b.page, MIXED_TEXT);

    await expect
      .poll(() => statusesOf(b.page, MIXED_TEXT), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);
    await expect
      .poll(() => unreadCountText(a.page, bob.username), { timeout: DELIVERY_TIMEOUT_MS })
      .toBe('1');
    await expect
      .poll(() => conversationItem(a.page, bob.username).getByTestId('conversation-last').textContent())
      .toContain(MIXED_TEXT);

    await openConversation(a.page, bob.username);
    await expect.poll(() => textsIn(a.page)).toEqual([MIXED_TEXT, MIXED_TEXT]);
    expect(await textsIn(a.page, { mine: false })).toEqual([MIXED_TEXT]);
    expect(await textsIn(a.page, { mine: true })).toEqual([MIXED_TEXT]);

    // Opening the chat clears the badge; Bob's chat is still open, so he has none either.
    await showChats(a.page);
    await expect.poll(() => unreadCountText(a.page, bob.username)).toBeNull();
    await showChats(b.page);
    await expect.poll(() => unreadCountText(b.page, alice.username)).toBeNull();
  });
});
