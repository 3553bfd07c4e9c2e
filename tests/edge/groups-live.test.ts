import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CLOSE_GROUP_MEMBERSHIP_ENDED, CLOSE_UNAUTHORIZED } from '../../protocol/frames';
import type { GroupLogEntry } from '../../protocol/groups';
import { GROUP_FANOUT_THRESHOLD } from '../../protocol/limits';
import { groupObject } from '../../edge/objects/group-object';
import { connectGroupSocket, entryTexts, openGroupSocket, type GroupTestSocket } from './fixtures/group-sockets';
import { addByInvite, createGroup, groupCall, seedUsers, sendToGroup, type Actor } from './fixtures/groups';
import { newCid, openSocket } from './fixtures/sockets';

/** A member limit above the threshold, so the group uses `pull` delivery. */
const PULL_LIMIT = GROUP_FANOUT_THRESHOLD + 100;
const LARGE_MEMBERS = 300;
const LARGE_ONLINE = 50;
const LARGE_MESSAGES = 5;
/** Sender-key ciphertext in the shape an end-to-end group requires. The edge stores it without reading it. */
const SEALED = { type: 'group_e2e', senderDevice: 'device-1', keyId: 0, iteration: 0, ciphertext: 'A'.repeat(32) } as const;

function isText(text: string) {
  return (entry: GroupLogEntry) => entry.kind === 'message' && entry.message.content.type === 'text' && entry.message.content.text === text;
}

function isChange(type: string) {
  return (entry: GroupLogEntry) => entry.kind === 'change' && entry.change.type === type;
}

async function sendText(actor: Actor, groupId: string, text: string): Promise<number> {
  const { socket } = await openSocket(actor.token);
  const reply = await sendToGroup(socket, groupId, text);
  socket.close();
  if (reply.type !== 'group.ack') throw new Error(`send failed: ${reply.code} ${reply.message}`);
  return reply.groupSeq;
}

async function pullGroup(memberCount: number) {
  const [owner, ...members] = await seedUsers(memberCount);
  if (!owner) throw new Error('no owner seeded');
  const group = await createGroup(owner, { memberLimit: PULL_LIMIT, joinPolicy: 'invite_only' });
  const stub = groupObject(env, group.id);
  for (const member of members) {
    const invited = await stub.invite(owner.user.id, member.user.id);
    if (!invited.ok) throw new Error(`invitation failed: ${invited.failure.message}`);
  }
  return { owner, members, group };
}

describe('group sockets', () => {
  it('member gets entries live in order', async () => {
    const { owner, members, group } = await pullGroup(2);
    const bob = members[0]!;
    const socket = await openGroupSocket(bob.token, group.id);
    const [carol] = await seedUsers(1);

    await addByInvite(owner, group.id, carol!);
    const first = await sendText(owner, group.id, '第一条');
    await groupCall(owner, `/groups/${group.id}`, 'PATCH', { notice: 'read me' });
    await sendText(bob, group.id, 'second');

    const entries = await socket.entriesUntil(isText('second'));
    expect(entries.map((e) => (e.kind === 'change' ? e.change.type : 'message'))).toEqual(['joined', 'message', 'info_changed', 'message']);
    expect(entryTexts(entries)).toEqual(['第一条', 'second']);
    expect(entries[1]?.groupSeq).toBe(first);
    expect(entries.map((e) => e.groupSeq)).toEqual([...entries.map((e) => e.groupSeq)].sort((a, b) => a - b));
  });

  it('welcome names the log head', async () => {
    const { owner, group } = await pullGroup(1);
    const head = await sendText(owner, group.id, 'before the socket');

    const socket = await connectGroupSocket(owner.token, group.id);

    expect(await socket.nextFrameOf('group.welcome')).toEqual({ type: 'group.welcome', groupId: group.id, headSeq: head });
  });

  it('group.sync works on the socket', async () => {
    const { owner, group } = await pullGroup(1);
    await sendText(owner, group.id, 'in the log');
    const socket = await openGroupSocket(owner.token, group.id);

    socket.send({ type: 'group.sync', groupId: group.id, after: 0 });
    const page = await socket.nextFrameOf('group.page');

    expect(entryTexts(page.entries)).toEqual(['in the log']);
    expect(page.hasMore).toBe(false);
  });

  it('rejects other frames on the socket', async () => {
    const { owner, group } = await pullGroup(1);
    const socket = await openGroupSocket(owner.token, group.id);

    socket.sendRaw(JSON.stringify({ type: 'sync', after: 0 }));
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('unknown_frame');
  });

  it('non-member is rejected and closed', async () => {
    const { group } = await pullGroup(1);
    const [stranger] = await seedUsers(1);

    const socket = await connectGroupSocket(stranger!.token, group.id);
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('not_a_member');
    expect((await socket.closed).code).toBe(CLOSE_GROUP_MEMBERSHIP_ENDED);
  });

  it('unknown token is rejected', async () => {
    const { group } = await pullGroup(1);

    const socket = await connectGroupSocket('not-a-token', group.id);
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('unauthorized');
    expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it('kicked member gets the kick, then nothing', async () => {
    const { owner, members, group } = await pullGroup(2);
    const bob = members[0]!;
    const bobSocket = await openGroupSocket(bob.token, group.id);
    const ownerSocket = await openGroupSocket(owner.token, group.id);

    const kicked = await groupCall(owner, `/groups/${group.id}/members/${bob.user.id}`, 'DELETE');
    await sendText(owner, group.id, 'after the kick');

    expect(kicked.status).toBe(204);
    const bobEntries = await bobSocket.entriesUntil(isChange('kicked'));
    expect((await bobSocket.closed).code).toBe(CLOSE_GROUP_MEMBERSHIP_ENDED);
    expect(bobEntries).toHaveLength(1);
    expect(bobSocket.pendingFrames()).toEqual([]);
    const ownerEntries = await ownerSocket.entriesUntil(isText('after the kick'));
    expect(ownerEntries.map((e) => e.kind)).toEqual(['change', 'message']);
  });

  it('member who left is closed', async () => {
    const { members, group } = await pullGroup(2);
    const bob = members[0]!;
    const socket = await openGroupSocket(bob.token, group.id);

    await groupCall(bob, `/groups/${group.id}/members/me`, 'DELETE');

    expect(await socket.entriesUntil(isChange('left'))).toHaveLength(1);
    expect((await socket.closed).code).toBe(CLOSE_GROUP_MEMBERSHIP_ENDED);
  });

  it('rejoined member opens a new socket', async () => {
    const { owner, members, group } = await pullGroup(2);
    const bob = members[0]!;
    await groupCall(owner, `/groups/${group.id}/members/${bob.user.id}`, 'DELETE');

    await addByInvite(owner, group.id, bob);
    const socket = await openGroupSocket(bob.token, group.id);
    await sendText(owner, group.id, 'welcome back');

    expect(entryTexts(await socket.entriesUntil(isText('welcome back')))).toEqual(['welcome back']);
  });

  it('dissolution closes every socket', async () => {
    const { owner, members, group } = await pullGroup(3);
    const sockets = await Promise.all([owner, ...members].map((user) => openGroupSocket(user.token, group.id)));

    const response = await groupCall(owner, `/groups/${group.id}`, 'DELETE');

    expect(response.status).toBe(204);
    for (const socket of sockets) {
      expect(await socket.entriesUntil(isChange('dissolved'))).toHaveLength(1);
      expect((await socket.closed).code).toBe(CLOSE_GROUP_MEMBERSHIP_ENDED);
    }
  });

  it('inbox groups accept sockets too', async () => {
    const [owner] = await seedUsers(1);
    const group = await createGroup(owner!, { memberLimit: GROUP_FANOUT_THRESHOLD });
    const socket = await openGroupSocket(owner!.token, group.id);
    const { socket: sender } = await openSocket(owner!.token);
    const cid = newCid();

    sender.send({ type: 'group.send', cid, groupId: group.id, content: SEALED });
    const entries = await socket.entriesUntil((entry) => entry.kind === 'message');

    expect(group.delivery).toBe('inbox');
    expect(entries.map((entry) => (entry.kind === 'message' ? entry.message.cid : undefined))).toEqual([cid]);
  });

  it('closed socket leaves others served', async () => {
    const { owner, members, group } = await pullGroup(3);
    const [bob, carol] = [members[0]!, members[1]!];
    const leaving = await openGroupSocket(bob.token, group.id);
    const staying = await openGroupSocket(carol.token, group.id);

    leaving.close();
    await leaving.closed;
    const seq = await sendText(owner, group.id, 'after the close');
    const reopened = await openGroupSocket(bob.token, group.id);
    await sendText(owner, group.id, 'after the reopen');

    const carolEntries = await staying.entriesUntil(isText('after the reopen'));
    expect(entryTexts(carolEntries)).toEqual(['after the close', 'after the reopen']);
    expect(carolEntries[0]?.groupSeq).toBe(seq);
    expect(entryTexts(await reopened.entriesUntil(isText('after the reopen')))).toEqual(['after the reopen']);
  });

  it('R4 300 members: each socket gets each message once', { timeout: 120_000 }, async () => {
    const { owner, members, group } = await pullGroup(LARGE_MEMBERS);
    const online: GroupTestSocket[] = [];
    for (const member of members.slice(-LARGE_ONLINE)) online.push(await openGroupSocket(member.token, group.id));

    const { socket: sender } = await openSocket(owner.token);
    const acked: number[] = [];
    for (let i = 0; i < LARGE_MESSAGES; i++) {
      const reply = await sendToGroup(sender, group.id, `m${i}`);
      if (reply.type !== 'group.ack') throw new Error(`send failed: ${reply.code}`);
      acked.push(reply.groupSeq);
    }
    // A last change marks the end, so that a repeat of any message would show before it.
    await groupCall(owner, `/groups/${group.id}`, 'PATCH', { notice: 'end' });

    expect(group.delivery).toBe('pull');
    for (const socket of online) {
      const entries = await socket.entriesUntil(isChange('info_changed'));
      expect(entries.slice(0, -1).map((e) => e.groupSeq)).toEqual(acked);
      expect(entryTexts(entries)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    }
  });
});
