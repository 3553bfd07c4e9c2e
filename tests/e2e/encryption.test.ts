import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openApp, register, signIn } from './harness/app-auth';
import { openConversation, sendText, startChatWith, statusesOf, textsIn } from './harness/app-chat';
import { NOT_FOR_THIS_DEVICE_EN, UNDECRYPTABLE_EN, keyChangeNotices, readSafetyNumber } from './harness/app-encryption';
import { waitForConnectionState } from './harness/app-shell';
import { dumpD1, durableObjectFiles, filesContaining } from './harness/stored-state';
import { useE2ESuite } from './harness/suite';
import { DELIVERY_TIMEOUT_MS, UI_TIMEOUT_MS } from './harness/timeouts';
import { makeUser } from './harness/users';

describe('end-to-end encryption', () => {
  const suite = useE2ESuite();

  /** Registers two users in two contexts, opens the chat both ways and returns the clients. */
  async function twoUsersChatting() {
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
    await startChatWith(a.page, bob.username);
    await startChatWith(b.page, alice.username);
    return { alice, bob, a, b };
  }

  test('both sides show the same safety number', async () => {
    const { a, b } = await twoUsersChatting();

    const seenByAlice = await readSafetyNumber(a.page);
    const seenByBob = await readSafetyNumber(b.page);

    expect(seenByAlice).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(seenByBob).toBe(seenByAlice);
  });

  test('new device: old messages hidden, new ones shown, peer warned', async () => {
    const { alice, bob, a, b } = await twoUsersChatting();
    await sendText(a.page, 'sent before the new device');
    await expect
      .poll(() => textsIn(b.page, { mine: false }), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent before the new device']);

    const bobNew = await suite.newClient('bob-new');
    await openApp(bobNew.page);
    await signIn(bobNew.page, bob);
    await waitForConnectionState(bobNew.page, 'online');
    await b.page.getByTestId('kicked-notice').waitFor({ state: 'visible', timeout: DELIVERY_TIMEOUT_MS });
    await openConversation(bobNew.page, alice.username);

    await expect.poll(() => textsIn(bobNew.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual([NOT_FOR_THIS_DEVICE_EN]);

    await sendText(a.page, 'sent after the new device');
    await expect
      .poll(() => statusesOf(a.page, 'sent after the new device'), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['sent']);
    await expect
      .poll(() => textsIn(bobNew.page), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual([NOT_FOR_THIS_DEVICE_EN, 'sent after the new device']);
    await expect.poll(() => keyChangeNotices(a.page), { timeout: DELIVERY_TIMEOUT_MS }).toBe(1);

    await sendText(bobNew.page, 'reply from the new device');
    await expect
      .poll(() => textsIn(a.page, { mine: false }), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(['reply from the new device']);
    expect(await keyChangeNotices(a.page)).toBe(1);
  });

  test('two tabs of one user share the session', async () => {
    const { bob, a, b } = await twoUsersChatting();
    const secondTab = await a.context.newPage();
    await openApp(secondTab);
    await waitForConnectionState(secondTab, 'online');
    await openConversation(secondTab, bob.username);

    const fromAlice = ['first tab 1', 'second tab 1', 'first tab 2', 'second tab 2'];
    const fromBob = ['bob 1', 'bob 2'];
    await sendText(a.page, fromAlice[0]!);
    await sendText(secondTab, fromAlice[1]!);
    await sendText(b.page, fromBob[0]!);
    await sendText(a.page, fromAlice[2]!);
    await sendText(secondTab, fromAlice[3]!);
    await sendText(b.page, fromBob[1]!);

    const sorted = (texts: string[]) => [...texts].sort();
    await expect
      .poll(async () => sorted(await textsIn(b.page, { mine: false })), { timeout: DELIVERY_TIMEOUT_MS })
      .toEqual(sorted(fromAlice));
    for (const tab of [a.page, secondTab]) {
      await expect.poll(() => textsIn(tab, { mine: false }), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(fromBob);
      expect(sorted(await textsIn(tab, { mine: true }))).toEqual(sorted(fromAlice));
    }
    for (const page of [a.page, secondTab, b.page]) {
      const texts = await textsIn(page);
      expect(texts).not.toContain(UNDECRYPTABLE_EN);
      expect(texts).not.toContain(NOT_FOR_THIS_DEVICE_EN);
    }
  });

  test('server stores no plaintext', async () => {
    const { alice, a, b } = await twoUsersChatting();
    const marker = randomBytes(6).toString('hex');
    const secrets = [`alice secret ${marker}`, `鲍勃的秘密 ${marker}`];
    await sendText(a.page, secrets[0]!);
    await sendText(b.page, secrets[1]!);
    await expect.poll(() => textsIn(a.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(secrets);
    await expect.poll(() => textsIn(b.page), { timeout: DELIVERY_TIMEOUT_MS }).toEqual(secrets);
    const cids = (await a.page.locator('[data-testid="message"]').evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-cid') ?? ''),
    )).filter((cid) => cid !== '');

    const persistDir = dirname(suite.server.logFile);
    await suite.server.stop();
    try {
      const d1 = await dumpD1(persistDir);
      const objectFiles = durableObjectFiles(persistDir);

      // The scans read the right data: the accounts and the stored messages are there.
      expect(d1).toContain(alice.username);
      expect(cids).toHaveLength(2);
      for (const cid of cids) expect(filesContaining(objectFiles, cid)).not.toEqual([]);

      for (const secret of [...secrets, marker, '鲍勃的秘密']) {
        expect(d1).not.toContain(secret);
        expect(filesContaining(objectFiles, secret)).toEqual([]);
      }
    } finally {
      await suite.server.restart();
    }
    await waitForConnectionState(a.page, 'online', UI_TIMEOUT_MS + DELIVERY_TIMEOUT_MS);
  });
});
