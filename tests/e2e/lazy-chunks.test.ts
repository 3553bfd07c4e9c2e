import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openApp, register } from './harness/app-auth';
import { openSettings } from './harness/app-shell';
import { useE2ESuite } from './harness/suite';
import { UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

const HAN = /\p{Script=Han}/u;

/** Chunk names as vite emits them: `assets/<name>-<hash>.js`. */
const CHUNK_NAME = /^\/assets\/(.+)-[\w-]{8}\.js$/;

describe('lazily loaded chunks', () => {
  const suite = useE2ESuite();

  test('page loads only needed chunks', async () => {
    const zh = await suite.newClient('alice-zh', { locale: 'zh-CN' });
    const requested = recordChunkRequests(zh.page);

    await openApp(zh.page);
    await expect.poll(() => zh.page.getByTestId('signin-submit').textContent()).toMatch(HAN);

    expect(requested).toContain('zh-CN');
    expect(requested, 'the sign-in screen needs no English catalog').not.toContain('en');
    expect(requested, 'the sign-in screen needs no account code').not.toContain('account-runtime');

    await register(zh.page, makeUser('alice'));

    expect(requested).toContain('account-runtime');
    expect(requested, 'a signed-in Chinese page still needs no English catalog').not.toContain('en');

    await openSettings(zh.page);
    const signOut = zh.page.getByTestId('signout-button');
    await zh.page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => signOut.textContent(), { timeout: UI_TIMEOUT_MS }).not.toMatch(HAN);

    expect(requested).toContain('en');
  });
});

/** Collects the names of the JS chunks the page itself requests, leaving out the service worker's precache fetches. */
function recordChunkRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    if (request.serviceWorker()) return;
    const match = CHUNK_NAME.exec(new URL(request.url()).pathname);
    if (match) names.push(match[1]!);
  });
  return names;
}
