// Opening 1:1 messages off the page. Three parts are tested: openFromSender,
// which the decrypt worker runs, the worker's wire format for outcomes and
// errors, and the page's client of the worker. The client is driven with a
// fake worker because Node has no Web Worker. Chromium runs the real worker
// in tests/e2e.

import { describe, expect, test } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import { DecryptError, InvalidPayloadError } from '../../web/app/crypto/errors';
import { DecryptWorker } from '../../web/app/e2e/decrypt-client';
import { fromWireOutcome, toWireOutcome, type OpenReply, type OpenRequest } from '../../web/app/e2e/decrypt-wire';
import { openFromSender, type DirectMessage, type DirectOutcome } from '../../web/app/e2e/open-direct';
import { readLastSeq } from '../../web/app/store/db';
import { ALICE, BOB } from './helpers';
import { FakeKeyServer, sendText, signedInDevice, type Tab } from './e2e-harness';

function directMessage(event: InboxEvent | null): DirectMessage {
  if (event?.kind !== 'message' || event.message.content.type !== 'e2e') throw new Error('expected an encrypted message event');
  return { id: event.message.id, seq: event.seq, envelope: event.message.content.envelope };
}

function textOf(outcome: DirectOutcome | undefined): string | undefined {
  if (outcome?.kind !== 'decrypted' || outcome.decrypted.payload.kind !== 'text') return undefined;
  return outcome.decrypted.payload.text;
}

/** Returns the error of a failed outcome, and throws for any other outcome. */
function errorOf(outcome: DirectOutcome | undefined): Error {
  if (outcome?.kind !== 'failed') throw new Error(`expected a failed outcome, got ${JSON.stringify(outcome)}`);
  return outcome.error as Error;
}

async function aliceAndBob(): Promise<{ server: FakeKeyServer; alice: Tab; bob: Tab; aliceDevice: string }> {
  const server = new FakeKeyServer();
  const alice = await signedInDevice(ALICE, server);
  const bob = await signedInDevice(BOB, server);
  return { server, alice, bob, aliceDevice: alice.browser.own.deviceId! };
}

describe('openFromSender', () => {
  test('new messages skip the lastSeq read', async () => {
    const { server, alice, bob, aliceDevice } = await aliceAndBob();
    const sent = [await sendText(alice, BOB, 'one', server), await sendText(alice, BOB, 'two', server)];
    let lastSeqReads = 0;
    const lastSeq = () => {
      lastSeqReads++;
      return readLastSeq(bob.browser.db);
    };

    const outcomes = await openFromSender(bob.browser.store, lastSeq, aliceDevice, sent.map((message) => directMessage(message.recipient)));

    expect(outcomes.map(textOf)).toEqual(['one', 'two']);
    expect(lastSeqReads).toBe(0);
  });

  test('reads a message again from its receipt', async () => {
    const { server, alice, bob, aliceDevice } = await aliceAndBob();
    const message = directMessage((await sendText(alice, BOB, 'once', server)).recipient);
    const lastSeq = () => readLastSeq(bob.browser.db);

    await openFromSender(bob.browser.store, lastSeq, aliceDevice, [message]);
    const again = await openFromSender(bob.browser.store, lastSeq, aliceDevice, [message]);

    expect(again.map(textOf)).toEqual(['once']);
  });

  test('stored message counts as stored', async () => {
    const { server, alice, bob, aliceDevice } = await aliceAndBob();
    const sent = await sendText(alice, BOB, 'stored in another tab', server);
    await bob.receive([sent.recipient!]);

    const outcomes = await openFromSender(bob.browser.store, () => readLastSeq(bob.browser.db), aliceDevice, [directMessage(sent.recipient)]);

    expect(outcomes).toEqual([{ kind: 'stored' }]);
  });

  test('unstored failure counts as failed', async () => {
    const { server, alice, bob, aliceDevice } = await aliceAndBob();
    const sent = await sendText(alice, BOB, 'spent', server);
    const message = directMessage(sent.recipient);
    await openFromSender(bob.browser.store, async () => 0, aliceDevice, [message]);
    await bob.browser.store.deleteReceipts([message.id]);

    const [outcome] = await openFromSender(bob.browser.store, async () => 0, aliceDevice, [message]);

    expect(outcome?.kind).toBe('failed');
    const error = errorOf(outcome);
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).reason).toBe('replayed');
  });
});

describe('the decrypt worker wire', () => {
  test('DecryptError keeps class and reason', () => {
    const wire = toWireOutcome({ kind: 'failed', error: new DecryptError('no_session', 'no session with device d1') });
    const back = fromWireOutcome(structuredClone(wire));

    const error = errorOf(back);
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as DecryptError).reason).toBe('no_session');
    expect(error.message).toBe('no session with device d1');
  });

  test('InvalidPayloadError keeps limit and value', () => {
    const wire = toWireOutcome({ kind: 'failed', error: new InvalidPayloadError('text too long', 4096, 5000) });
    const back = fromWireOutcome(structuredClone(wire));

    const error = errorOf(back);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).limit).toBe(4096);
    expect((error as InvalidPayloadError).value).toBe(5000);
  });

  test('other errors become plain errors', () => {
    const back = fromWireOutcome(structuredClone(toWireOutcome({ kind: 'failed', error: new TypeError('bad input') })));

    const error = errorOf(back);
    expect(error).not.toBeInstanceOf(DecryptError);
    expect(error.name).toBe('TypeError');
  });

  test('stored outcome passes unchanged', () => {
    expect(fromWireOutcome(structuredClone(toWireOutcome({ kind: 'stored' })))).toEqual({ kind: 'stored' });
  });
});

/** Plays the worker: records requests and lets the test reply or fail. */
class FakeWorker {
  onmessage: ((event: MessageEvent<OpenReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly requests: OpenRequest[] = [];
  terminated = false;

  postMessage(request: OpenRequest): void {
    this.requests.push(structuredClone(request));
  }

  terminate(): void {
    this.terminated = true;
  }

  reply(reply: OpenReply): void {
    this.onmessage?.({ data: structuredClone(reply) } as MessageEvent<OpenReply>);
  }

  crash(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
}

describe('the page side of the decrypt worker', () => {
  async function withWorker() {
    const pair = await aliceAndBob();
    const worker = new FakeWorker();
    const client = new DecryptWorker({
      cryptoStore: pair.bob.browser.store,
      cryptoDatabase: 'feige-crypto-test',
      db: pair.bob.browser.db,
      accountDatabase: 'feige-test',
      createWorker: () => worker as unknown as Worker,
    });
    return { ...pair, worker, client };
  }

  test('settles replies by request id', async () => {
    const { server, alice, aliceDevice, worker, client } = await withWorker();
    const first = directMessage((await sendText(alice, BOB, 'a', server)).recipient);
    const second = directMessage((await sendText(alice, BOB, 'b', server)).recipient);

    const openingFirst = client.open(aliceDevice, [first]);
    const openingSecond = client.open(aliceDevice, [second]);
    const [requestOne, requestTwo] = worker.requests;
    worker.reply({ id: requestTwo!.id, ok: true, outcomes: [{ kind: 'stored' }] });
    worker.reply({ id: requestOne!.id, ok: true, outcomes: [{ kind: 'failed', error: { type: 'decrypt', reason: 'tampered', message: 'bad tag' } }] });

    expect(requestOne).toMatchObject({ cryptoDatabase: 'feige-crypto-test', accountDatabase: 'feige-test', senderDevice: aliceDevice, messages: [first] });
    expect(await openingSecond).toEqual([{ kind: 'stored' }]);
    const [failed] = await openingFirst;
    expect((errorOf(failed) as DecryptError).reason).toBe('tampered');
  });

  test('failed request names the device', async () => {
    const { aliceDevice, worker, client } = await withWorker();
    const opening = client.open(aliceDevice, []);

    worker.reply({ id: worker.requests[0]!.id, ok: false, message: 'InvalidStateError: the database is closing' });

    await expect(opening).rejects.toThrow(`failed to open messages of device ${aliceDevice}: InvalidStateError`);
  });

  test('crash falls back to the page', async () => {
    const { server, alice, aliceDevice, worker, client } = await withWorker();
    const inFlight = directMessage((await sendText(alice, BOB, 'in flight', server)).recipient);
    const later = directMessage((await sendText(alice, BOB, 'later', server)).recipient);

    const openingInFlight = client.open(aliceDevice, [inFlight]);
    worker.crash('out of memory');
    const outcomes = await openingInFlight;
    const after = await client.open(aliceDevice, [later]);

    expect(outcomes.map(textOf)).toEqual(['in flight']);
    expect(after.map(textOf)).toEqual(['later']);
    expect(worker.terminated).toBe(true);
    expect(worker.requests).toHaveLength(1);
  });

  test('terminate rejects pending requests', async () => {
    const { aliceDevice, worker, client } = await withWorker();
    const rejected = expect(client.open(aliceDevice, [])).rejects.toThrow('the account stopped');

    client.terminate();

    expect(worker.terminated).toBe(true);
    await rejected;
  });

  test('no worker opens on the page', async () => {
    const { server, alice, bob, aliceDevice } = await aliceAndBob();
    const client = new DecryptWorker({
      cryptoStore: bob.browser.store,
      cryptoDatabase: 'unused',
      db: bob.browser.db,
      accountDatabase: 'unused',
      createWorker: () => {
        throw new Error('workers are blocked');
      },
    });
    const message = directMessage((await sendText(alice, BOB, 'here', server)).recipient);

    expect((await client.open(aliceDevice, [message])).map(textOf)).toEqual(['here']);
  });
});
