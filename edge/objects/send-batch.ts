// Runs a user's `send` frames in batches. Frames that arrive while a batch is
// delivering wait, and the next batch takes all of them; a `sends` frame puts
// all its sends in one batch. Each recipient gets the batch's messages in one
// `deliverMany` call (one commit there), and their rows go into the sender's
// inbox in one event (one storage commit here). The acks follow in arrival
// order, and each socket gets its acks, errors and `added` echoes as one
// `batch` frame (frame-batches.ts). One batch at a time, so messages reach
// each recipient in the order this user sent them.

import type { ChatMessage, ClientSendFrame, ServerErrorFrame } from '../../protocol/frames';
import type { Logger } from '../log';
import { SocketOutbox, type OutboxSocket } from './frame-batches';
import type { InboxStore } from './inbox-store';
import type { MessageEvent } from './inbox-events';
import type { PeerFacts } from './peer-cache';
import { groupPeerKey, lookUpBatch, type BatchLookups } from './send-lookups';
import { ackFor, deliveryFailed, prepareSend, type PreparedSend } from './send-message';
import type { SocketAttachment } from './sockets';

export interface QueuedSend {
  ws: WebSocket;
  attachment: SocketAttachment;
  frame: ClientSendFrame;
  log: Logger;
}

export interface BatchDependencies {
  inbox: InboxStore;
  log: Logger;
  /** The facts about `peerId` for sends of `userId`, from the object's cache or D1. */
  facts(userId: string, peerId: string): Promise<PeerFacts>;
  /** Whether every one of `userIds` is a member of the group, read from D1 (sender-key distributions). */
  groupMembers(groupId: string, userIds: string[]): Promise<boolean>;
  /** Stores the messages, in order, in the recipient's inbox; idempotent per (from, cid). */
  deliverMany(recipientId: string, messages: ChatMessage[]): Promise<void>;
  /** This user's open sockets whose session is not revoked. */
  openSockets(): OutboxSocket[];
}

/** A prepared send, or a repeat of the cid of an earlier new message in the same batch (by its index). */
type BatchOutcome = PreparedSend | { kind: 'repeat'; of: number };

/** The reply to one send: an error frame, or the ack of a stored message (`added` when this batch wrote it). */
type Answer = { kind: 'reply'; reply: ServerErrorFrame } | { kind: 'stored'; event: MessageEvent; deliver: boolean; added: boolean };

export class SendBatcher {
  private queue: QueuedSend[] = [];
  /** The timestamp of the newest message this object stored, kept only in memory: after a restart the clock is past it. */
  private lastTs = 0;
  private draining: Promise<void> | undefined;

  constructor(private readonly deps: BatchDependencies) {}

  /**
   * Queues frames in the order given. They join the next batch together, which
   * starts at once unless a batch is running. The promise settles when the
   * batch that contains the last one has sent its replies.
   */
  enqueue(...sends: QueuedSend[]): Promise<void> {
    this.queue.push(...sends);
    this.draining ??= this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.run(batch);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async run(batch: QueuedSend[]): Promise<void> {
    const lookups = await lookUpBatch(
      this.deps,
      batch.map(({ attachment, frame }) => ({ userId: attachment.userId, frame })),
    );

    // The recipients store first, and this inbox only after their calls
    // returned, so a recipient's socket gets a message after one commit, not
    // two. Local workerd (wrangler 4.86) runs every object on one thread, and
    // a `perf` trace of its `fsync` calls showed this object's commit running
    // before the recipient's call when this inbox was written first. The ack
    // still waits for both commits. No await separates the writes from the
    // replies, so the object commits the batch's rows together.
    const now = Date.now();
    const outcomes = this.prepareAll(batch, lookups, now);
    const failed = await this.deliver(batch, outcomes);
    const answers = this.store(batch, outcomes);

    // The replies of the whole batch go out in one synchronous step, so no
    // other frame of this object lands between them on any socket.
    const outbox = new SocketOutbox();
    const others = lazySockets(() => this.deps.openSockets());
    batch.forEach((send, index) => this.answer(send, answers[index], failed, outbox, others));
    outbox.send();
  }

  /**
   * Prepares each send. New messages get strictly increasing timestamps, so
   * a chat that orders by `ts` shows the messages of one batch, which share
   * the event's clock reading, in the order they were sent.
   */
  private prepareAll(batch: QueuedSend[], lookups: BatchLookups, now: number): BatchOutcome[] {
    const firstNew = new Map<string, number>();
    return batch.map((send, index) => {
      const earlier = firstNew.get(send.frame.cid);
      if (earlier !== undefined) return { kind: 'repeat', of: earlier };

      const ts = Math.max(now, this.lastTs + 1);
      const outcome = this.prepare(send, index, lookups, ts);
      if (outcome.kind !== 'new') return outcome;

      firstNew.set(send.frame.cid, index);
      this.lastTs = ts;
      return outcome;
    });
  }

  private prepare(send: QueuedSend, index: number, lookups: BatchLookups, now: number): PreparedSend {
    const { attachment, frame, log } = send;
    try {
      return prepareSend(
        {
          userId: attachment.userId,
          sessionId: attachment.sessionId,
          existing: lookups.existing[index],
          messageId: lookups.ids[index],
          facts: (peerId) => {
            const found = lookups.facts.get(peerId);
            if (found === undefined) throw new Error(`No facts were loaded for the peer ${peerId}.`);
            if (found instanceof Error) throw found;
            return found;
          },
          groupPeer: (groupId, peerId) => {
            const found = lookups.groupPeers.get(groupPeerKey(groupId, peerId));
            if (found === undefined) throw new Error(`No membership was read for the peer ${peerId} in group ${groupId}.`);
            if (found instanceof Error) throw found;
            return found;
          },
        },
        frame,
        now,
      );
    } catch (error) {
      log.error('send failed', { cid: frame.cid, error });
      return { kind: 'reply', reply: internalError(frame.cid) };
    }
  }

  /**
   * Starts one `deliverMany` call per recipient, synchronously, and returns
   * the recipients whose call failed once all have settled.
   */
  private async deliver(batch: QueuedSend[], outcomes: BatchOutcome[]): Promise<Set<string>> {
    const byRecipient = new Map<string, ChatMessage[]>();
    for (const outcome of outcomes) {
      const message = messageToDeliver(outcome);
      if (!message) continue;
      const messages = byRecipient.get(message.to) ?? [];
      if (!messages.some((queued) => queued.id === message.id)) messages.push(message);
      byRecipient.set(message.to, messages);
    }

    const failed = new Set<string>();
    await Promise.all(
      [...byRecipient].map(async ([recipientId, messages]) => {
        try {
          await this.deps.deliverMany(recipientId, messages);
        } catch (error) {
          failed.add(recipientId);
          this.deps.log.error('delivery to recipient failed; the client retries with the same cid', {
            to: recipientId,
            cids: messages.map((message) => message.cid),
            error,
          });
        }
      }),
    );
    if (batch.length > 1) this.deps.log.debug('sent a batch', { frames: batch.length, recipients: byRecipient.size });
    return failed;
  }

  /**
   * Writes the batch's new messages to this inbox in order and returns the
   * reply to each send. A failed write gets an `internal` error. The recipient
   * may already have the message, and a resend with the same cid writes it
   * here with the same id.
   */
  private store(batch: QueuedSend[], outcomes: BatchOutcome[]): Answer[] {
    const answers: Answer[] = [];
    outcomes.forEach((outcome, index) => {
      switch (outcome.kind) {
        case 'reply':
          answers.push(outcome);
          return;
        case 'stored':
          answers.push({ ...outcome, added: false });
          return;
        case 'new':
          answers.push(this.write(batch[index], outcome.message, outcome.deliver));
          return;
        case 'repeat': {
          const first = answers[outcome.of];
          answers.push(first.kind === 'stored' ? { ...first, added: false } : first);
          return;
        }
        default: {
          const unreachable: never = outcome;
          throw new Error(`Unhandled send outcome ${JSON.stringify(unreachable)}`);
        }
      }
    });
    return answers;
  }

  private write(send: QueuedSend, message: ChatMessage, deliver: boolean): Answer {
    try {
      return { kind: 'stored', event: this.deps.inbox.appendMessage(message, message.ts), deliver, added: true };
    } catch (error) {
      send.log.error('storing a sent message failed', { cid: message.cid, error });
      return { kind: 'reply', reply: internalError(message.cid) };
    }
  }

  /** Queues the `added` echo for this user's other sockets, then the ack or error for the socket the send came from. */
  private answer(send: QueuedSend, answer: Answer, failed: Set<string>, outbox: SocketOutbox, others: () => OutboxSocket[]): void {
    const origin: OutboxSocket = { ws: send.ws, socketId: send.attachment.socketId };
    switch (answer.kind) {
      case 'reply':
        outbox.add(origin, answer.reply);
        return;
      case 'stored': {
        if (answer.added) {
          for (const socket of others()) {
            if (socket.socketId !== origin.socketId) outbox.add(socket, { type: 'event', event: answer.event });
          }
        }
        const message = answer.event.message;
        const undelivered = answer.deliver && failed.has(message.to);
        outbox.add(origin, undelivered ? deliveryFailed(message.cid) : ackFor(answer.event));
        return;
      }
      default: {
        const unreachable: never = answer;
        throw new Error(`Unhandled send answer ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

/** Returns the message the recipient's object must store for this outcome; a repeat is delivered with its first send. */
function messageToDeliver(outcome: BatchOutcome): ChatMessage | undefined {
  switch (outcome.kind) {
    case 'new':
      return outcome.deliver ? outcome.message : undefined;
    case 'stored':
      return outcome.deliver ? outcome.event.message : undefined;
    case 'reply':
    case 'repeat':
      return undefined;
    default: {
      const unreachable: never = outcome;
      throw new Error(`Unhandled send outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Returns a function that lists the sockets on its first call and repeats that list after. */
function lazySockets(list: () => OutboxSocket[]): () => OutboxSocket[] {
  let sockets: OutboxSocket[] | undefined;
  return () => (sockets ??= list());
}

function internalError(cid: string): ServerErrorFrame {
  return { type: 'error', code: 'internal', cid, message: 'Sending failed; resend with the same cid.' };
}
