import { describe, expect, it } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import type { GroupMessage } from '../../protocol/groups';
import { registerUser } from './fixtures/accounts';
import { env, runInDurableObject } from 'cloudflare:test';
import { eventFromRow } from '../../edge/objects/inbox-events';
import { groupObject } from '../../edge/objects/group-object';
import type { UserDO } from '../../edge/objects/user-do';
import { userObject } from '../../edge/objects/user-object';
import { createGroup, markerContent, readGroupLog, seedUsers } from './fixtures/groups';
import { openSocket, type TestSocket } from './fixtures/sockets';

const MEMBERS = 200;
const SENDERS = 5;
const MESSAGES_PER_SENDER = 10;
const TOTAL = SENDERS * MESSAGES_PER_SENDER;
/** Members that keep a socket open during the sends; the rest read everything through sync afterwards. */
const ONLINE = 20;
/** How long `storedInbox` waits for the fan-out, which runs from the group's alarm. */
const INBOX_WAIT_MS = 60_000;
/** Inboxes read at once. */
const BATCH = 10;

function groupMessagesOf(events: InboxEvent[], groupId: string): GroupMessage[] {
  return events.flatMap((event) => (event.kind === 'group.message' && event.groupId === groupId ? [event.message] : []));
}

/** Reads live events until `count` group messages arrived, and returns their group seqs in arrival order. */
async function liveGroupSeqs(socket: TestSocket, groupId: string, count: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < count) {
    const frame = await socket.nextFrame();
    if (frame.type === 'event' && frame.event.kind === 'group.message' && frame.event.groupId === groupId) {
      seqs.push(frame.event.message.groupSeq);
    }
  }
  return seqs;
}

/** Reads a user's stored inbox straight from their UserDO's SQLite until `done` holds, without a Worker request. */
async function storedInbox(userId: string, done: (events: InboxEvent[]) => boolean): Promise<InboxEvent[]> {
  const deadline = Date.now() + INBOX_WAIT_MS;
  for (;;) {
    const events = await runInDurableObject(userObject(env, userId), (_instance: UserDO, state) =>
      state.storage.sql.exec('SELECT seq, ts, kind, body FROM inbox ORDER BY seq').toArray().map(eventFromRow),
    );
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`The inbox of ${userId} never reached the expected state; it has ${events.length} events`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('group fan-out', () => {
  it(
    'R4 200 members get every message once',
    async () => {
      const owner = await registerUser();
      const group = await createGroup(owner, { memberLimit: MEMBERS, joinPolicy: 'invite_only' });
      const members = await seedUsers(MEMBERS - 1);
      // Invitations go to the GroupDO over RPC rather than through the Worker:
      // every request through SELF deepens a proxy chain in the test pool, and
      // a few thousand of them in one run overflow the stack.
      const groupStub = groupObject(env, group.id);
      for (const member of members) {
        const invited = await groupStub.invite(owner.user.id, member.user.id);
        if (!invited.ok) throw new Error(`invitation failed: ${invited.failure.message}`);
      }
      const everyone = [owner, ...members];
      // The joins fan out from the group's alarm, the owner first; wait until the owner has the last join.
      await storedInbox(owner.user.id, (events) =>
        events.some((e) => e.kind === 'group' && e.change.type === 'joined' && e.change.userId === members.at(-1)?.user.id),
      );

      const online = await Promise.all(everyone.slice(0, ONLINE).map(async (user) => (await openSocket(user.token)).socket));
      const senders = await Promise.all(members.slice(-SENDERS).map(async (user) => (await openSocket(user.token)).socket));
      senders.forEach((socket, s) => {
        for (let i = 0; i < MESSAGES_PER_SENDER; i++) {
          socket.send({ type: 'group.send', cid: `fanout-${s}-${i}-${group.id}`, groupId: group.id, content: markerContent(`${s}:${i}`) });
        }
      });

      const acks = await Promise.all(
        senders.map(async (socket) => {
          const seqs: number[] = [];
          while (seqs.length < MESSAGES_PER_SENDER) {
            const frame = await socket.nextFrame();
            if (frame.type === 'error') throw new Error(`send failed: ${frame.code} ${frame.message}`);
            if (frame.type === 'group.ack') seqs.push(frame.groupSeq);
          }
          return seqs;
        }),
      );
      const { socket: reader } = await openSocket(owner.token);
      const logSeqs = (await readGroupLog(reader, group.id)).flatMap((e) => (e.kind === 'message' ? [e.groupSeq] : []));

      expect(new Set(acks.flat()).size).toBe(TOTAL);
      expect(logSeqs).toHaveLength(TOTAL);
      expect([...acks.flat()].sort((a, b) => a - b)).toEqual(logSeqs);

      for (let start = 0; start < everyone.length; start += BATCH) {
        const inboxes = await Promise.all(
          everyone.slice(start, start + BATCH).map((user) => storedInbox(user.user.id, (events) => groupMessagesOf(events, group.id).length >= TOTAL)),
        );
        for (const inbox of inboxes) expect(groupMessagesOf(inbox, group.id).map((m) => m.groupSeq)).toEqual(logSeqs);
      }
      // Every inbox has every message, so the live frames are all queued on the online sockets by now.
      for (const socket of online) expect(await liveGroupSeqs(socket, group.id, TOTAL)).toEqual(logSeqs);
    },
    240_000,
  );
});
