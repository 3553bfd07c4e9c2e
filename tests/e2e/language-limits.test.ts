import { describe, expect, test } from 'vitest';
import { TEXT_MAX_BYTES, USERNAME_MIN_LENGTH, countUtf8Bytes } from '../../protocol/limits';
import { openApp, register } from './harness/app-auth';
import { messagesIn, showChats, startChatWith, statusesOf } from './harness/app-chat';
import { openSettings } from './harness/app-shell';
import { registerViaApi } from './harness/api';
import type { Client } from './harness/browser';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, DUPLICATE_SETTLE_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';
import { sleep } from './harness/wait';

const HAN = /\p{Script=Han}/u;

// 1,365 three-byte characters plus ASCII: a composer that counted characters
// instead of UTF-8 bytes would see only 1,366 or 1,367 and let both through.
const TEXT_AT_LIMIT = '你'.repeat(1365) + 'a';
const TEXT_OVER_LIMIT = '你'.repeat(1365) + 'ab';

/** The limit as the UI may print it: 4096, 4,096, 4.096 or with a (narrow) no-break space. */
const LIMIT_PATTERN = numberPattern(TEXT_MAX_BYTES);
const OVER_LIMIT_VALUE_PATTERN = numberPattern(TEXT_MAX_BYTES + 1);

describe('language and input limits', () => {
  const suite = useE2ESuite();

  test('zh-CN browser gets Chinese, switches to English', async () => {
    expect(countUtf8Bytes(TEXT_AT_LIMIT)).toBe(TEXT_MAX_BYTES);
    expect(countUtf8Bytes(TEXT_OVER_LIMIT)).toBe(TEXT_MAX_BYTES + 1);

    const bob = makeUser('bob');
    await registerViaApi(suite.server.url, bob);
    const zh = await suite.newClient('alice-zh', { locale: 'zh-CN' });

    await openApp(zh.page);
    await expect.poll(() => zh.page.getByTestId('signin-submit').textContent()).toMatch(HAN);

    await register(zh.page, makeUser('alice'));
    await startChatWith(zh.page, bob.username);

    const chineseError = await submitOverLimitText(zh);
    expect(chineseError).toMatch(HAN);
    expect(chineseError).toMatch(LIMIT_PATTERN);
    expect.soft(chineseError, 'the error also names the rejected size').toMatch(OVER_LIMIT_VALUE_PATTERN);

    await showChats(zh.page);
    await openSettings(zh.page);
    const signOut = zh.page.getByTestId('signout-button');
    expect(await signOut.textContent()).toMatch(HAN);

    await zh.page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => signOut.textContent(), { timeout: UI_TIMEOUT_MS }).not.toMatch(HAN);
    expect(await signOut.textContent()).toMatch(/[A-Za-z]/);
    expect(await zh.page.getByTestId('nav-chats').textContent()).not.toMatch(HAN);

    // Nothing was sent yet, so the chat is not in the list: start it again.
    await startChatWith(zh.page, bob.username);
    const englishError = await submitOverLimitText(zh);
    expect(englishError).not.toMatch(HAN);
    expect(englishError).toMatch(LIMIT_PATTERN);
  });

  test('text at byte limit is sent', async () => {
    const bob = makeUser('bob');
    await registerViaApi(suite.server.url, bob);
    const a = await suite.newClient('alice');

    await openApp(a.page);
    await register(a.page, makeUser('alice'));
    await startChatWith(a.page, bob.username);

    await submitOverLimitText(a);

    const composer = a.page.getByTestId('composer-input');
    await composer.fill(TEXT_AT_LIMIT, { timeout: UI_TIMEOUT_MS });
    await composer.press('Enter');
    await expect
      .poll(() => statusesOf(a.page, TEXT_AT_LIMIT), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);
    expect(await a.page.getByTestId('composer-error').isVisible()).toBe(false);

    expect(a.log.sentMessageCids()).toHaveLength(1);
  });

  test('register form names username limit', async () => {
    const a = await suite.newClient('short-name');
    await openApp(a.page);
    await a.page.getByTestId('goto-register').click({ timeout: UI_TIMEOUT_MS });

    const tooShort = 'ab';
    expect(tooShort.length).toBe(USERNAME_MIN_LENGTH - 1);
    await a.page.getByTestId('register-username').fill(tooShort);
    await a.page.getByTestId('register-displayname').fill('Short Name');
    await a.page.getByTestId('register-password').fill('long enough password');
    await a.page.getByTestId('register-submit').click();

    const error = a.page.getByTestId('form-error');
    await error.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await error.textContent()).toMatch(new RegExp(`\\b${USERNAME_MIN_LENGTH}\\b`));
    expect(await a.page.getByTestId('connection-state').count()).toBe(0);
  });
});

/**
 * Puts TEXT_OVER_LIMIT into the composer and presses Enter. Returns the
 * composer error text after checking, past a settle period, that neither the
 * chat view nor the socket carried a new message. Message content may be
 * encrypted on the wire, so the socket check counts `send` frames by cid.
 */
async function submitOverLimitText(client: Client): Promise<string> {
  const sentBefore = client.log.sentMessageCids().length;
  const shownBefore = (await messagesIn(client.page)).length;

  const composer = client.page.getByTestId('composer-input');
  await composer.fill(TEXT_OVER_LIMIT, { timeout: UI_TIMEOUT_MS });
  await composer.press('Enter');

  const error = client.page.getByTestId('composer-error');
  await error.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await sleep(DUPLICATE_SETTLE_MS);

  expect((await messagesIn(client.page)).length).toBe(shownBefore);
  expect(client.log.sentMessageCids().length).toBe(sentBefore);
  return (await error.textContent()) ?? '';
}

function numberPattern(value: number): RegExp {
  const digits = String(value);
  const grouped = `${digits.slice(0, -3)}[,.\\s\\u00a0\\u202f]?${digits.slice(-3)}`;
  return new RegExp(grouped);
}
