import { describe, expect, test } from 'vitest';
import { MESSAGE_BLOCK_MIN } from '../../web/app/store/message-blocks';
import { openApp, register, waitForShell } from './harness/app-auth';
import {
  conversationItem,
  openConversation,
  sendText,
  startChatWith,
  statusesOf,
  storedMessageBlocks,
  textsIn,
  unreadCountText,
} from './harness/app-chat';
import { waitForConnectionState } from './harness/app-shell';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, DUPLICATE_SETTLE_MS } from './harness/timeouts';
import { makeUser } from './harness/users';
import { sleep } from './harness/wait';

describe('catching up after the app was closed', () => {
  const suite = useE2ESuite();

  test('R2 reopened app syncs missed messages', async () => {
    const alice = makeUser('alice');
    const bob = makeUser('bob');
    const a = await suite.newClient('alice');
    const b = await suite.newClient('bob');

    await openApp(a.page);
    await register(a.page, alice);
    await openApp(b.page);
    await register(b.page, bob);

    // One message while Bob is connected, so his local store already contains a seq.
    await startChatWith(a.page, bob.username);
    await sendText(a.page, 'before close');
    await expect
      .poll(async () => (await conversationItem(b.page, alice.username).count()) > 0, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(true);
    await openConversation(b.page, alice.username);
    await expect.poll(() => textsIn(b.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['before close']);

    await b.page.close();

    // Enough for the sync page to store them as a block.
    const missed = Array.from({ length: MESSAGE_BLOCK_MIN + 2 }, (_, index) => `missed ${index + 1}`);
    for (const text of missed) await sendText(a.page, text);
    for (const text of missed) {
      await expect.poll(() => statusesOf(a.page, text), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(['sent']);
    }

    const reopened = await b.context.newPage();
    const workerWarnings: string[] = [];
    reopened.on('console', (message) => {
      if (message.text().includes('decrypt worker')) workerWarnings.push(message.text());
    });
    await openApp(reopened);
    await waitForShell(reopened);
    await waitForConnectionState(reopened, 'online');
    await expect
      .poll(() => unreadCountText(reopened, alice.username), { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(String(missed.length));

    await openConversation(reopened, alice.username);
    const expected = ['before close', ...missed];
    await expect.poll(() => textsIn(reopened), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(expected);
    await sleep(DUPLICATE_SETTLE_MS);
    expect(await textsIn(reopened)).toEqual(expected);
    // The missed messages opened in the decrypt worker, which never fell back to the page.
    expect(reopened.workers().some((worker) => worker.url().includes('decrypt-worker'))).toBe(true);
    expect(workerWarnings).toEqual([]);
    expect(await storedMessageBlocks(reopened)).toBe(1);

    // A second catch-up over the same store must not add anything.
    await reopened.reload();
    await waitForShell(reopened);
    await waitForConnectionState(reopened, 'online');
    await openConversation(reopened, alice.username);
    await expect.poll(() => textsIn(reopened), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(expected);
    await sleep(DUPLICATE_SETTLE_MS);
    expect(await textsIn(reopened)).toEqual(expected);
  });
});
