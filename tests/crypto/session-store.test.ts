// The IndexedDB session store on fake-indexeddb: persistence, and atomic
// ratchet steps when two store instances (two tabs, or a tab and the
// service worker) share one database. Node 20 has no navigator.locks, so
// these tests exercise the compare-and-swap layer alone.

import { describe, expect, it } from 'vitest';
import { decodeHeader } from '../../web/app/crypto/ratchet-header';
import { fromBase64Url } from '../../web/app/crypto/bytes';
import { decryptEnvelope } from '../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import type { Envelope } from '../../web/app/crypto/envelope';
import { SessionUpdateConflictError } from '../../web/app/crypto/errors';
import type { PeerSessionRecord } from '../../web/app/crypto/session-record';
import { openSessionStore, SESSION_UPDATE_ATTEMPTS_MAX, type IndexedDbCryptoStore } from '../../web/app/crypto/session-store';
import { bundleServer, createTestDevice, type TestDevice } from './helpers';

async function encryptText(store: IndexedDbCryptoStore, to: TestDevice, text: string): Promise<Envelope> {
  return encryptEnvelope(store, { kind: 'text', text }, [to.deviceId], bundleServer(to));
}

function messageNumber(envelope: Envelope): number {
  return decodeHeader(fromBase64Url(envelope.recipients[0]!.header)).messageNumber;
}

describe('session store persistence', () => {
  it('sessions survive reopening the database', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    await decryptEnvelope(bob.store, await encryptText(alice.store, bob, 'a0'));

    alice.store.close();
    const reopened = await openSessionStore(alice.databaseName);
    const decrypted = await decryptEnvelope(bob.store, await encryptText(reopened, bob, 'after reopen'));
    expect(decrypted.payload).toEqual({ kind: 'text', text: 'after reopen' });
  });

  it('private keys stay non-extractable', async () => {
    const alice = await createTestDevice('alice-phone');
    const identity = await alice.store.getIdentity();
    expect(identity!.identity.dh.privateKey).toBeInstanceOf(CryptoKey);
    expect(identity!.identity.dh.privateKey.extractable).toBe(false);
  });

  it('failed decrypt stores nothing', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await encryptText(alice.store, bob, 'a0');
    await decryptEnvelope(bob.store, envelope);
    const before = await bob.store.getPeerRecord('alice-phone');

    await expect(decryptEnvelope(bob.store, envelope)).rejects.toThrow(/already decrypted/);
    const after = await bob.store.getPeerRecord('alice-phone');
    expect(after!.sessions[0]!.ratchet.receivingChain!.index).toBe(before!.sessions[0]!.ratchet.receivingChain!.index);
  });
});

describe('session store concurrency', () => {
  it('interleaved encrypts get distinct numbers', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const secondTab = await openSessionStore(alice.databaseName);
    await decryptEnvelope(bob.store, await encryptText(alice.store, bob, 'first'));

    const envelopes: Envelope[] = [];
    for (let round = 0; round < 5; round++) {
      const pair = await Promise.all([
        encryptText(alice.store, bob, `tab1-${round}`),
        encryptText(secondTab, bob, `tab2-${round}`),
      ]);
      envelopes.push(...pair);
    }

    const numbers = envelopes.map(messageNumber);
    expect(new Set(numbers).size).toBe(envelopes.length);
    for (const envelope of envelopes) {
      const decrypted = await decryptEnvelope(bob.store, envelope);
      expect(decrypted.payload.kind).toBe('text');
    }
  });

  it('concurrent first sends share one session', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone', 5);
    const secondTab = await openSessionStore(alice.databaseName);

    const [first, second] = await Promise.all([
      encryptText(alice.store, bob, 'tab1'),
      encryptText(secondTab, bob, 'tab2'),
    ]);

    expect(messageNumber(first)).not.toBe(messageNumber(second));
    expect((await decryptEnvelope(bob.store, first)).payload).toEqual({ kind: 'text', text: 'tab1' });
    expect((await decryptEnvelope(bob.store, second)).payload).toEqual({ kind: 'text', text: 'tab2' });
  });

  it('interleaved decrypts each apply once', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const bobWorker = await openSessionStore(bob.databaseName);
    await decryptEnvelope(bob.store, await encryptText(alice.store, bob, 'first'));

    const envelopes = [];
    for (let i = 0; i < 6; i++) envelopes.push(await encryptText(alice.store, bob, `m${i}`));

    const results = await Promise.all(
      envelopes.map((envelope, i) => decryptEnvelope(i % 2 === 0 ? bob.store : bobWorker, envelope)),
    );
    expect(results.map((result) => result.payload)).toEqual(envelopes.map((_, i) => ({ kind: 'text', text: `m${i}` })));
    expect((await bob.store.getPeerRecord('alice-phone'))!.sessions[0]!.ratchet.skippedKeys.length).toBe(0);
  });
});

describe('SESSION_UPDATE_ATTEMPTS_MAX', () => {
  /**
   * Runs an update on `store` whose step, for its first `conflicts` runs,
   * lets another store instance commit a change to the same record first.
   * This works only without Web Locks: in a browser the inner update would
   * wait for the lock that the outer step holds.
   */
  async function updateWithConflicts(conflicts: number): Promise<number> {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    await decryptEnvelope(bob.store, await encryptText(alice.store, bob, 'first'));
    const otherTab = await openSessionStore(alice.databaseName);

    let runs = 0;
    return alice.store.updatePeerRecord('bob-phone', async (record) => {
      runs += 1;
      if (runs <= conflicts) {
        await otherTab.updatePeerRecord('bob-phone', async (current) => ({ record: current!, result: null }));
      }
      return { record: record as PeerSessionRecord, result: runs };
    });
  }

  it('succeeds on the last allowed attempt', async () => {
    expect(await updateWithConflicts(SESSION_UPDATE_ATTEMPTS_MAX - 1)).toBe(SESSION_UPDATE_ATTEMPTS_MAX);
  });

  it('fails one conflict past the maximum', async () => {
    await expect(updateWithConflicts(SESSION_UPDATE_ATTEMPTS_MAX)).rejects.toBeInstanceOf(SessionUpdateConflictError);
  });
});
