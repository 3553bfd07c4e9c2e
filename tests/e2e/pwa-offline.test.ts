import { describe, expect, test } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { openApp, register, waitForShell } from './harness/app-auth';
import {
  conversationItem,
  openConversation,
  sendText,
  startChatWith,
  statusesOf,
  textsIn,
} from './harness/app-chat';
import {
  activeServiceWorkerState,
  pollConnectionState,
  waitForConnectionState,
  waitForServiceWorkerControl,
} from './harness/app-shell';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, SERVER_START_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';
import { waitFor } from './harness/wait';

describe('installable app shell', () => {
  const suite = useE2ESuite();

  test('PWA installable and opens without server', async () => {
    const alice = makeUser('alice');
    const bob = makeUser('bob');
    const a = await suite.newClient('alice', { persistentProfile: true });
    const b = await suite.newClient('bob');

    await openApp(a.page);
    await register(a.page, alice);
    await openApp(b.page);
    await register(b.page, bob);

    await startChatWith(a.page, bob.username);
    await sendText(a.page, 'history one');
    await expect
      .poll(async () => (await conversationItem(b.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(b.page, alice.username);
    await sendText(b.page, 'history two');
    const history = ['history one', 'history two'];
    await expect.poll(() => textsIn(a.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(history);

    const cdp = await a.context.newCDPSession(a.page);
    await expectInstallable(cdp);
    await waitForServiceWorkerControl(a.page);
    expect(await activeServiceWorkerState(a.page)).toBe('activated');

    await suite.server.stop();
    await a.page.reload();
    await waitForShell(a.page);
    expect(await pollConnectionState(a.page, 'offline')).toBe('offline');

    const entry = conversationItem(a.page, bob.username);
    await entry.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await entry.getByTestId('conversation-last').textContent()).toContain('history two');
    await openConversation(a.page, bob.username);
    await expect.poll(() => textsIn(a.page)).toEqual(history);

    // Back online: both apps reconnect on their own and deliver again.
    await suite.server.restart();
    await waitForConnectionState(a.page, 'online', SERVER_START_TIMEOUT_MS);
    await sendText(a.page, 'after restart');
    await expect.poll(() => statusesOf(a.page, 'after restart'), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    await expect
      .poll(() => textsIn(b.page), { timeout: SERVER_START_TIMEOUT_MS })
      .toEqual([...history, 'after restart']);
  });
});

/** Polls Chromium's own installability check until it reports no errors; fails with the last errors and the manifest parse result. */
async function expectInstallable(cdp: CDPSession): Promise<void> {
  let lastErrors: unknown[] = [];

  try {
    await waitFor(
      'Page.getInstallabilityErrors to return no errors',
      async () => {
        const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
        lastErrors = installabilityErrors;
        return installabilityErrors.length === 0 ? true : undefined;
      },
      UI_TIMEOUT_MS,
    );
  } catch (error) {
    const manifest = await cdp.send('Page.getAppManifest').catch((manifestError: unknown) => String(manifestError));
    throw new Error(
      `${String(error)}\ninstallability errors: ${JSON.stringify(lastErrors)}\nmanifest: ${JSON.stringify(manifest).slice(0, 2_000)}`,
    );
  }
}
