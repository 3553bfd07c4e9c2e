import { describe, expect, test } from 'vitest';
import { directConversationId, type InboxEvent } from '../../protocol/frames';
import type { GroupMessage } from '../../protocol/groups';
import { DistributionPendingError } from '../../web/app/e2e/group-send';
import { queueMessage } from '../../web/app/store/outbox';
import { GroupWorld, type Device } from './group-e2e-harness';

const GROUP = 'group-1';
const ALICE = 'alice';
const BOB = 'bob';
const CAROL = 'carol';
const DAVE = 'dave';

const UNDECRYPTABLE = { type: 'unavailable', reason: 'undecryptable' };

function keyIdOf(message: GroupMessage): number {
  if (message.content.type !== 'group_e2e') throw new Error('expected sender-key content');
  return message.content.keyId;
}

/** Sender-key distributions a device sent, by recipient user. */
function distributionsTo(world: GroupWorld, from: Device): string[] {
  return world.sent.filter((entry) => entry.content.type === 'sender_key' && entry.content.distribution.senderDevice === from.browser.own.deviceId).map((entry) => entry.to);
}

async function groupOf(...userIds: string[]): Promise<{ world: GroupWorld; devices: Device[] }> {
  const world = new GroupWorld();
  const devices: Device[] = [];
  for (const userId of userIds) devices.push(await world.device(userId));
  world.setMembers(GROUP, userIds);
  return { world, devices };
}

describe('group sender keys', () => {
  test('members decrypt after key distribution', async () => {
    const { world, devices } = await groupOf(ALICE, BOB, CAROL);
    const [alice, bob, carol] = devices as [Device, Device, Device];

    const first = await world.send(alice, GROUP, '大家好');
    const second = await world.send(alice, GROUP, 'second');

    expect(await world.open(bob, first)).toEqual({ type: 'text', text: '大家好' });
    expect(await world.open(carol, second)).toEqual({ type: 'text', text: 'second' });
    expect(await world.open(carol, first)).toEqual({ type: 'text', text: '大家好' });
    expect(JSON.stringify(first.content)).not.toContain('大家好');
    expect(distributionsTo(world, alice).sort()).toEqual([BOB, CAROL]);
  });

  test('inbox group message opens once', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice, bob] = devices as [Device, Device];
    const message = await world.send(alice, GROUP, 'via inbox');
    const event: InboxEvent = { kind: 'group.message', seq: 1_000_000, ts: message.ts, groupId: GROUP, message };

    const live = await bob.e2e.open([event]);
    const again = await bob.e2e.open([event]);

    expect(live.contents.get(message.id)).toEqual({ type: 'text', text: 'via inbox' });
    expect(again.contents.get(message.id)).toEqual({ type: 'text', text: 'via inbox' });
  });

  test('removed member cannot decrypt next message', async () => {
    const { world, devices } = await groupOf(ALICE, BOB, CAROL);
    const [alice, bob, carol] = devices as [Device, Device, Device];
    const before = await world.send(alice, GROUP, 'before');
    expect(await world.open(carol, before)).toEqual({ type: 'text', text: 'before' });

    // Carol keeps every key she held: she never applies her own removal.
    world.setMembers(GROUP, [ALICE, BOB]);
    await world.change(alice, GROUP, { type: 'kicked', userId: CAROL, by: ALICE });
    await world.change(bob, GROUP, { type: 'kicked', userId: CAROL, by: ALICE });
    const after = await world.send(alice, GROUP, 'after');

    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
    expect(await world.open(bob, after)).toEqual({ type: 'text', text: 'after' });
    expect(await world.open(carol, after)).toEqual(UNDECRYPTABLE);
    expect(distributionsTo(world, alice).filter((userId) => userId === CAROL)).toHaveLength(1);
  });

  test('remaining members drop removed member keys', async () => {
    const { world, devices } = await groupOf(ALICE, BOB, CAROL);
    const [alice, bob, carol] = devices as [Device, Device, Device];
    const fromCarol = await world.send(carol, GROUP, 'from carol');
    await world.send(alice, GROUP, 'warm up');

    world.setMembers(GROUP, [ALICE, BOB]);
    await world.change(bob, GROUP, { type: 'left', userId: CAROL });

    expect(await world.open(bob, fromCarol)).toEqual(UNDECRYPTABLE);
    expect(await world.open(alice, fromCarol)).toEqual({ type: 'text', text: 'from carol' });
  });

  test('new member receives key next send', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice, bob] = devices as [Device, Device];
    const early = await world.send(alice, GROUP, 'early');
    const dave = await world.device(DAVE);

    world.setMembers(GROUP, [ALICE, BOB, DAVE]);
    await world.change(alice, GROUP, { type: 'joined', userId: DAVE, by: ALICE, delivery: 'inbox' });
    const late = await world.send(alice, GROUP, 'welcome');

    expect(keyIdOf(late)).toBe(keyIdOf(early));
    expect(await world.open(dave, late)).toEqual({ type: 'text', text: 'welcome' });
    expect(await world.open(bob, late)).toEqual({ type: 'text', text: 'welcome' });
    expect(distributionsTo(world, alice)).toEqual([BOB, DAVE]);
  });

  test('distributions go ahead of queued messages', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice, bob] = devices as [Device, Device];
    const conversationId = directConversationId(ALICE, BOB);
    await queueMessage(alice.browser.db, { cid: 'cid-direct-01', from: ALICE, to: BOB, conversationId, content: { type: 'text', text: 'queued first' }, createdAt: 1 });

    await expect(alice.e2e.sealGroupText(GROUP, 'needs a key')).rejects.toBeInstanceOf(DistributionPendingError);
    await world.settled();
    const content = await alice.e2e.sealGroupText(GROUP, 'needs a key');

    expect(world.sent.map((entry) => entry.content.type)).toEqual(['sender_key', 'text']);
    const message: GroupMessage = { id: 'gm-direct', groupId: GROUP, from: ALICE, cid: 'cid-group-01', content, groupSeq: 1, ts: 1 };
    expect(await world.open(bob, message)).toEqual({ type: 'text', text: 'needs a key' });
  });

  test('missing key shows unavailable', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice] = devices as [Device, Device];
    const outsider = await world.device(DAVE);

    const message = await world.send(alice, GROUP, 'members only');

    expect(await world.open(outsider, message)).toEqual(UNDECRYPTABLE);
  });

  test('sender user must match key', async () => {
    const { world, devices } = await groupOf(ALICE, BOB, CAROL);
    const [alice, bob] = devices as [Device, Device, Device];
    const message = await world.send(alice, GROUP, 'signed by alice');

    expect(await world.open(bob, { ...message, from: CAROL })).toEqual(UNDECRYPTABLE);
  });

  test('own other device decrypts', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice] = devices as [Device, Device];
    const laptop = await world.device(ALICE);

    const message = await world.send(alice, GROUP, 'from the phone');

    expect(await world.open(laptop, message)).toEqual({ type: 'text', text: 'from the phone' });
    expect(await world.open(alice, message)).toBeUndefined();
  });

  test('kicked device forgets group keys', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [alice, bob] = devices as [Device, Device];
    const message = await world.send(alice, GROUP, 'before the kick');
    await world.change(bob, GROUP, { type: 'kicked', userId: BOB, by: ALICE });

    const later = await world.send(alice, GROUP, 'after the kick');

    expect(await bob.browser.store.getPeerSenderKeys(GROUP, alice.browser.own.deviceId!)).toBeUndefined();
    expect(await world.open(bob, message)).toEqual(UNDECRYPTABLE);
    expect(await world.open(bob, later)).toEqual(UNDECRYPTABLE);
  });

  test('transport group text passes through', async () => {
    const { world, devices } = await groupOf(ALICE, BOB);
    const [, bob] = devices as [Device, Device];
    const message: GroupMessage = { id: 'gm-text', groupId: GROUP, from: ALICE, cid: 'cid-text-0001', content: { type: 'text', text: 'plain' }, groupSeq: 1, ts: 1 };

    expect(await world.open(bob, message)).toEqual({ type: 'text', text: 'plain' });
  });
});
