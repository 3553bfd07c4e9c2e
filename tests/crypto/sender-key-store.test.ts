// The sender-key half of the crypto store on fake-indexeddb, and the bounds
// on what it keeps per peer device: older keys and decrypt receipts.

import { describe, expect, it } from 'vitest';
import { utf8Encode, type Bytes } from '../../web/app/crypto/bytes';
import { acceptDistribution, createSenderKey, decryptGroupMessage, distributionOf, encryptGroupMessage, type PeerSenderKey } from '../../web/app/crypto/sender-key';
import {
  SENDER_KEY_RECEIPTS_MAX,
  SENDER_KEYS_PER_DEVICE_MAX,
  addPeerKey,
  addReceipt,
} from '../../web/app/crypto/sender-key-store';
import { openSessionStore } from '../../web/app/crypto/session-store';
import { uniqueDatabaseName } from './helpers';

const GROUP = 'group-1';

async function peerKeys(count: number): Promise<PeerSenderKey[]> {
  const keys: PeerSenderKey[] = [];
  for (let i = 0; i < count; i++) keys.push(acceptDistribution(distributionOf(await createSenderKey(GROUP, 'alice-phone'))));
  return keys;
}

function receiptsOf(count: number): Map<string, Bytes> {
  let receipts = new Map<string, Bytes>();
  for (let i = 0; i < count; i++) receipts = addReceipt(receipts, `m-${i}`, utf8Encode(`${i}`));
  return receipts;
}

describe('sender key store', () => {
  it('keeps keys per device at limit', async () => {
    const keys = (await peerKeys(SENDER_KEYS_PER_DEVICE_MAX)).reduce<PeerSenderKey[]>((kept, key) => addPeerKey(kept, key), []);
    expect(keys).toHaveLength(SENDER_KEYS_PER_DEVICE_MAX);
  });

  it('drops oldest key past limit', async () => {
    const all = await peerKeys(SENDER_KEYS_PER_DEVICE_MAX + 1);
    const keys = all.reduce<PeerSenderKey[]>((kept, key) => addPeerKey(kept, key), []);

    expect(keys).toHaveLength(SENDER_KEYS_PER_DEVICE_MAX);
    expect(keys.map((key) => key.keyId)).not.toContain(all[0]!.keyId);
    expect(keys[0]!.keyId).toBe(all.at(-1)!.keyId);
  });

  it('known key id keeps its chain', async () => {
    const [first] = await peerKeys(1);
    const advanced = { ...first!, iteration: 5 };

    expect(addPeerKey([advanced], first!)).toEqual([advanced]);
  });

  it('receipts at and past limit', () => {
    expect(receiptsOf(SENDER_KEY_RECEIPTS_MAX).size).toBe(SENDER_KEY_RECEIPTS_MAX);

    const past = receiptsOf(SENDER_KEY_RECEIPTS_MAX + 1);
    expect(past.size).toBe(SENDER_KEY_RECEIPTS_MAX);
    expect(past.has('m-0')).toBe(false);
    expect(past.has(`m-${SENDER_KEY_RECEIPTS_MAX}`)).toBe(true);
  });

  it('own key survives reopening', async () => {
    const name = uniqueDatabaseName('sender-keys');
    const first = await openSessionStore(name);
    const key = await createSenderKey(GROUP, 'alice-phone');
    await first.putOwnSenderKey({ groupId: GROUP, key, stale: false, sentTo: ['bob-phone'], pendingCids: [] });
    first.close();

    const second = await openSessionStore(name);
    const stored = await second.getOwnSenderKey(GROUP);
    const peer = acceptDistribution(distributionOf(key));
    const sent = await encryptGroupMessage(stored!.key, { kind: 'text', text: 'after reload' });

    expect(stored!.key.signingPrivateKey.extractable).toBe(false);
    expect((await decryptGroupMessage(peer, GROUP, sent.content)).payload).toEqual({ kind: 'text', text: 'after reload' });
    second.close();
  });

  it('stale mark keeps the key', async () => {
    const store = await openSessionStore(uniqueDatabaseName('sender-keys'));
    const key = await createSenderKey(GROUP, 'alice-phone');
    await store.putOwnSenderKey({ groupId: GROUP, key, stale: false, sentTo: [], pendingCids: [] });

    await store.updateOwnSenderKey(GROUP, (record) => ({ ...record, stale: true }));

    expect(await store.getOwnSenderKey(GROUP)).toMatchObject({ stale: true, key: { keyId: key.keyId } });
    store.close();
  });

  it('deletes one sender user keys', async () => {
    const store = await openSessionStore(uniqueDatabaseName('sender-keys'));
    const [bobKey, carolKey] = await peerKeys(2);
    await store.putPeerSenderKeys({ groupId: GROUP, senderDevice: 'bob-phone', senderUser: 'bob', keys: [bobKey!], receipts: new Map() });
    await store.putPeerSenderKeys({ groupId: GROUP, senderDevice: 'carol-phone', senderUser: 'carol', keys: [carolKey!], receipts: new Map() });
    await store.putPeerSenderKeys({ groupId: 'group-2', senderDevice: 'carol-phone', senderUser: 'carol', keys: [carolKey!], receipts: new Map() });

    await store.deletePeerSenderKeys(GROUP, 'carol');

    expect(await store.getPeerSenderKeys(GROUP, 'bob-phone')).toBeDefined();
    expect(await store.getPeerSenderKeys(GROUP, 'carol-phone')).toBeUndefined();
    expect(await store.getPeerSenderKeys('group-2', 'carol-phone')).toBeDefined();
    store.close();
  });
});
