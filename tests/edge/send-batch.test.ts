// Sends that arrive while earlier ones are still being delivered are stored
// and delivered together. The order, the acks and exactly-once delivery must
// hold as they do for one send at a time.

import { describe, expect, it } from 'vitest';
import type { ServerAckFrame } from '../../protocol/frames';
import { contentTo, markerOf, registerUserWithDevice } from './fixtures/devices';
import { syncAll } from './fixtures/relations';
import { newCid, openSocket } from './fixtures/sockets';

const BURST = 30;

describe('send batches', () => {
  it('burst keeps order and acks', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const cids = Array.from({ length: BURST }, () => newCid());
    const contents = await Promise.all(cids.map((_, index) => contentTo(aliceDevice, bob.user.id, `m${index}`)));

    cids.forEach((cid, index) => aliceSocket.send({ type: 'send', cid, to: bob.user.id, content: contents[index] }));
    const acks: ServerAckFrame[] = [];
    for (let index = 0; index < BURST; index++) acks.push(await aliceSocket.nextFrameOf('ack'));

    expect(acks.map((ack) => ack.cid)).toEqual(cids);
    const seqs = acks.map((ack) => ack.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const pushed: string[] = [];
    for (let index = 0; index < BURST; index++) {
      const { event } = await bobSocket.nextFrameOf('event');
      pushed.push(event.kind === 'message' ? markerOf(event.message.content) : event.kind);
    }
    expect(pushed).toEqual(cids.map((_, index) => `m${index}`));
  });

  it('repeated cid in a burst stores once', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const frame = { type: 'send', cid: newCid(), to: bob.user.id, content: await contentTo(aliceDevice, bob.user.id) } as const;

    aliceSocket.send(frame);
    aliceSocket.send(frame);
    aliceSocket.send(frame);
    const acks = [await aliceSocket.nextFrameOf('ack'), await aliceSocket.nextFrameOf('ack'), await aliceSocket.nextFrameOf('ack')];

    expect(acks[1]).toEqual(acks[0]);
    expect(acks[2]).toEqual(acks[0]);
    const { socket: bobSocket } = await openSocket(bob.token);
    expect((await syncAll(bobSocket)).filter((event) => event.kind === 'message')).toHaveLength(1);
  });
});
