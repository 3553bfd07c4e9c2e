import { describe, expect, it } from 'vitest';
import type { ServerErrorFrame, ServerGroupAckFrame } from '../../protocol/frames';
import type { GroupLogEntry, JoinResult } from '../../protocol/groups';
import { GROUP_E2E_MEMBERS_MAX, GROUP_FANOUT_THRESHOLD, TEXT_MAX_BYTES } from '../../protocol/limits';
import { registerUser } from './fixtures/accounts';
import {
  addByInvite,
  addMembers,
  createGroup,
  errorOf,
  groupCall,
  groupChanges,
  groupInfo,
  groupTexts,
  inboxOf,
  markerContent,
  readGroupLog,
  sendContentToGroup,
  sendToGroup,
  textOf,
  waitForInbox,
} from './fixtures/groups';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

/** Each test registers several accounts (PBKDF2 with 100,000 iterations each), which takes seconds on a busy machine. */
const GROUP_TEST_TIMEOUT_MS = 30_000;

function changeSeq(entries: GroupLogEntry[], type: string): number {
  const entry = entries.find((e) => e.kind === 'change' && e.change.type === type);
  if (!entry) throw new Error(`No ${type} change in the log`);
  return entry.groupSeq;
}

/** Sends `count` texts without waiting between them, and collects the answer to each. */
async function sendBurst(socket: TestSocket, groupId: string, count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    socket.send({ type: 'group.send', cid: `${prefix}-${String(i).padStart(4, '0')}`, groupId, content: markerContent(`${prefix} ${i}`) });
  }
  const replies: Array<ServerGroupAckFrame | ServerErrorFrame> = [];
  while (replies.length < count) {
    const frame = await socket.nextFrame();
    if (frame.type === 'group.ack' || frame.type === 'error') replies.push(frame);
  }
  return replies;
}

describe('group messages', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('R4 members get messages in group order', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [bob, carol] = await addMembers(owner, group.id, 2);
    const { socket: ownerSocket } = await openSocket(owner.token);
    const { socket: bobSocket } = await openSocket(bob.token);

    const first = await sendToGroup(ownerSocket, group.id, '大家好');
    const second = await sendToGroup(bobSocket, group.id, 'hi all');

    if (first.type !== 'group.ack' || second.type !== 'group.ack') throw new Error('expected two acks');
    expect(second.groupSeq).toBeGreaterThan(first.groupSeq);
    const inbox = await waitForInbox(carol, (events) => groupTexts(events, group.id).length === 2);
    expect(groupTexts(inbox, group.id)).toEqual(['大家好', 'hi all']);
    const messages = inbox.flatMap((e) => (e.kind === 'group.message' ? [e.message] : []));
    expect(messages.map((m) => m.groupSeq)).toEqual([first.groupSeq, second.groupSeq]);
    expect(messages.map((m) => m.from)).toEqual([owner.user.id, bob.user.id]);
  });

  it('pushes live to online members', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [bob] = await addMembers(owner, group.id, 1);
    await waitForInbox(bob, (events) => groupChanges(events, group.id).length > 0);
    const { socket: bobSocket } = await openSocket(bob.token);
    const { socket: ownerSocket } = await openSocket(owner.token);

    await sendToGroup(ownerSocket, group.id, 'live');
    const pushed = await bobSocket.nextFrameOf('event');

    expect(pushed.event.kind).toBe('group.message');
    if (pushed.event.kind === 'group.message') expect(pushed.event.message.content).toEqual(markerContent('live'));
  });

  it('outsider send is rejected', async () => {
    const owner = await registerUser();
    const outsider = await registerUser();
    const group = await createGroup(owner);
    const { socket } = await openSocket(outsider.token);

    const reply = await sendToGroup(socket, group.id, 'let me in');

    expect(reply).toMatchObject({ type: 'error', code: 'not_a_member' });
  });

  it('text limit at and past edge', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { memberLimit: GROUP_E2E_MEMBERS_MAX + 1 });
    const { socket } = await openSocket(owner.token);

    const atLimit = await sendContentToGroup(socket, group.id, { type: 'text', text: 'a'.repeat(TEXT_MAX_BYTES) });
    const past = await sendContentToGroup(socket, group.id, { type: 'text', text: 'a'.repeat(TEXT_MAX_BYTES - 2) + '群' });

    expect(atLimit.type).toBe('group.ack');
    expect(past).toMatchObject({ type: 'error', code: 'text_too_long', limit: TEXT_MAX_BYTES, value: TEXT_MAX_BYTES + 1 });
  });

  it('R1 resend stores once', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [bob] = await addMembers(owner, group.id, 1);
    const { socket } = await openSocket(owner.token);
    const cid = newCid();

    const first = await sendToGroup(socket, group.id, 'once', cid);
    const second = await sendToGroup(socket, group.id, 'once', cid);

    expect(second).toEqual(first);
    const log = await readGroupLog(socket, group.id);
    expect(log.filter((e) => e.kind === 'message')).toHaveLength(1);
    const inbox = await waitForInbox(bob, (events) => groupTexts(events, group.id).length > 0);
    expect(groupTexts(inbox, group.id)).toEqual(['once']);
  });

  it('R4 kick during sends cuts off', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [sender, witness] = await addMembers(owner, group.id, 2);
    const { socket } = await openSocket(sender.token);

    const burst = sendBurst(socket, group.id, 30, 'race');
    const kicked = await groupCall(owner, `/groups/${group.id}/members/${sender.user.id}`, 'DELETE');
    const replies = await burst;
    const afterKick = await sendToGroup(socket, group.id, 'after');

    expect(kicked.status).toBe(204);
    expect(afterKick).toMatchObject({ type: 'error', code: 'not_a_member' });
    const { socket: ownerSocket } = await openSocket(owner.token);
    const log = await readGroupLog(ownerSocket, group.id);
    const kickSeq = changeSeq(log, 'kicked');
    for (const reply of replies) {
      if (reply.type === 'group.ack') expect(reply.groupSeq).toBeLessThan(kickSeq);
      else expect(reply.code).toBe('not_a_member');
    }
    const acked = replies.filter((r) => r.type === 'group.ack').length;
    expect(log.filter((e) => e.kind === 'message')).toHaveLength(acked);
    expect(log.filter((e) => e.kind === 'message' && e.groupSeq > kickSeq)).toEqual([]);
    const witnessInbox = await waitForInbox(witness, (events) => groupChanges(events, group.id).some((c) => c.type === 'kicked'));
    expect(groupTexts(witnessInbox, group.id)).toHaveLength(acked);
  });

  it('R5 removed member receives nothing', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [removed] = await addMembers(owner, group.id, 1);
    await groupCall(owner, `/groups/${group.id}/members/${removed.user.id}`, 'DELETE');
    const { socket: removedSocket } = await openSocket(removed.token);
    const { socket: ownerSocket } = await openSocket(owner.token);

    await sendToGroup(ownerSocket, group.id, 'after removal');
    removedSocket.send({ type: 'group.sync', groupId: group.id, after: 0 });
    let refused = await removedSocket.nextFrame();
    while (refused.type === 'event') refused = await removedSocket.nextFrame();

    expect(refused).toMatchObject({ type: 'error', code: 'not_a_member', groupId: group.id });
    const inbox = await inboxOf(removed);
    expect(groupTexts(inbox, group.id)).toEqual([]);
  });

  it('two admins approve once', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'approval' });
    const [admin] = await addMembers(owner, group.id, 1);
    await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT');
    const applicant = await registerUser();
    const pending = await (await groupCall(applicant, `/groups/${group.id}/applications`, 'POST', {})).json<JoinResult>();
    if (pending.status !== 'pending') throw new Error('expected a pending application');

    const path = `/groups/${group.id}/applications/${pending.applicationId}/approve`;
    const answers = await Promise.all([groupCall(owner, path), groupCall(admin, path)]);

    expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
    const loser = answers.find((a) => a.status === 409);
    if (loser) expect((await errorOf(loser)).code).toBe('already_handled');
    expect((await groupInfo(owner, group.id)).memberCount).toBe(3);
    const { socket } = await openSocket(owner.token);
    const joins = (await readGroupLog(socket, group.id)).filter(
      (e) => e.kind === 'change' && e.change.type === 'joined' && e.change.userId === applicant.user.id,
    );
    expect(joins).toHaveLength(1);
  });

  it('dissolve during sends cuts off', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [sender, witness] = await addMembers(owner, group.id, 2);
    const { socket } = await openSocket(sender.token);

    const burst = sendBurst(socket, group.id, 30, 'dissolve');
    const dissolved = await groupCall(owner, `/groups/${group.id}`, 'DELETE');
    const replies = await burst;
    const afterwards = await sendToGroup(socket, group.id, 'after');

    expect(dissolved.status).toBe(204);
    expect(afterwards).toMatchObject({ type: 'error', code: 'not_found' });
    for (const reply of replies) {
      if (reply.type === 'error') expect(reply.code).toBe('not_found');
    }
    const acked = replies.filter((r) => r.type === 'group.ack').length;
    const inbox = await waitForInbox(witness, (events) => groupChanges(events, group.id).some((c) => c.type === 'dissolved'));
    const groupEvents = inbox.filter((e) => (e.kind === 'group' || e.kind === 'group.message') && e.groupId === group.id);
    expect(groupEvents.at(-1)).toMatchObject({ kind: 'group', change: { type: 'dissolved' } });
    expect(groupTexts(inbox, group.id)).toHaveLength(acked);
  });

  it('rejoin sees history from rejoin', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'open' });
    const [member] = await addMembers(owner, group.id, 1);
    const { socket: ownerSocket } = await openSocket(owner.token);
    await sendToGroup(ownerSocket, group.id, 'before leaving');
    await groupCall(member, `/groups/${group.id}/members/me`, 'DELETE');
    await sendToGroup(ownerSocket, group.id, 'while away');

    const rejoined = await groupCall(member, `/groups/${group.id}/applications`, 'POST', {});
    await sendToGroup(ownerSocket, group.id, 'after rejoining');

    expect(rejoined.status).toBe(200);
    const { socket } = await openSocket(member.token);
    const log = await readGroupLog(socket, group.id);
    expect(log[0]).toMatchObject({ kind: 'change', change: { type: 'joined', userId: member.user.id } });
    expect(log.flatMap((e) => (e.kind === 'message' ? [textOf(e.message.content)] : []))).toEqual([
      'after rejoining',
    ]);
    const inbox = await waitForInbox(member, (events) => groupTexts(events, group.id).length === 2);
    expect(groupTexts(inbox, group.id)).toEqual(['before leaving', 'after rejoining']);
  });

  it('history setting shows earlier messages', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { historyVisible: true });
    const { socket: ownerSocket } = await openSocket(owner.token);
    await sendToGroup(ownerSocket, group.id, 'early');
    const late = await registerUser();
    await addByInvite(owner, group.id, late);

    const { socket } = await openSocket(late.token);
    const log = await readGroupLog(socket, group.id);

    expect(log[0]).toMatchObject({ kind: 'change', change: { type: 'created' } });
    expect(log.some((e) => e.kind === 'message' && textOf(e.message.content) === 'early')).toBe(true);
  });

  it('pull group leaves one marker', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { memberLimit: GROUP_FANOUT_THRESHOLD + 1 });
    const [member] = await addMembers(owner, group.id, 1);
    const { socket: ownerSocket } = await openSocket(owner.token);

    await sendContentToGroup(ownerSocket, group.id, { type: 'text', text: 'one' });
    await sendContentToGroup(ownerSocket, group.id, { type: 'text', text: 'two' });
    const { socket } = await openSocket(member.token);
    const log = await readGroupLog(socket, group.id);

    expect(group.delivery).toBe('pull');
    expect(log.flatMap((e) => (e.kind === 'message' && e.message.content.type === 'text' ? [e.message.content.text] : []))).toEqual([
      'one',
      'two',
    ]);
    const inbox = await waitForInbox(member, (events) => groupChanges(events, group.id).length > 0);
    expect(groupChanges(inbox, group.id)).toEqual([{ type: 'joined', userId: member.user.id, by: owner.user.id, delivery: 'pull' }]);
    expect(groupTexts(inbox, group.id)).toEqual([]);
  });
});
