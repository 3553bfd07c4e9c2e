// Runs a user's `send` frames in batches. Frames that arrive while a batch is
// delivering wait, and the next batch takes all of them. Their rows go into
// the sender's inbox in one event (one storage commit). Each recipient gets
// them in one `deliverMany` call (one commit there). The acks follow in
// arrival order. One batch at a time, so messages reach each recipient in the
// order this user sent them.

import type { ChatMessage, ClientSendFrame, ServerErrorFrame, ServerFrame } from '../../protocol/frames';
import type { Logger } from '../log';
import type { PeerFacts } from './peer-cache';
import { ackFor, deliveryFailed, peerOfSend, prepareSend, type PreparedSend } from './send-message';
import type { InboxStore } from './inbox-store';
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
  sendFrame(ws: WebSocket, frame: ServerFrame): void;
  /** Pushes `frame` to every socket of this user except the one with `exceptSocketId`. */
  broadcast(frame: ServerFrame, exceptSocketId: string): void;
}

export class SendBatcher {
  private queue: QueuedSend[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly deps: BatchDependencies) {}

  /** Queues a frame; the promise settles when the batch that contains it has sent its replies. */
  enqueue(send: QueuedSend): Promise<void> {
    this.queue.push(send);
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
    const [facts, groupPeers] = await Promise.all([this.loadFacts(batch), this.loadGroupPeers(batch)]);

    // No await from here to the deliveries: every row of the batch is written
    // in this one event, so the object commits them together.
    const now = Date.now();
    const prepared = batch.map((send) => this.prepare(send, facts, groupPeers, now));

    const failed = await this.deliver(batch, prepared);

    batch.forEach((send, index) => this.answer(send, prepared[index], failed));
  }

  /** Reads the facts of every peer the batch names; a peer whose read failed maps to the error. */
  private async loadFacts(batch: QueuedSend[]): Promise<Map<string, PeerFacts | Error>> {
    const wanted = new Map<string, string>();
    for (const { attachment, frame } of batch) {
      const peerId = peerOfSend(this.deps.inbox, attachment.userId, frame);
      wanted.set(peerId, attachment.userId);
    }

    const facts = new Map<string, PeerFacts | Error>();
    await Promise.all(
      [...wanted].map(async ([peerId, userId]) => {
        try {
          facts.set(peerId, await this.deps.facts(userId, peerId));
        } catch (error) {
          facts.set(peerId, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return facts;
  }

  /** Reads, for each frame with a `groupId`, whether sender and peer are both members; keyed by groupPeerKey. */
  private async loadGroupPeers(batch: QueuedSend[]): Promise<Map<string, boolean | Error>> {
    const peers = new Map<string, boolean | Error>();
    await Promise.all(
      batch.map(async ({ attachment, frame }) => {
        if (frame.groupId === undefined) return;
        const peerId = peerOfSend(this.deps.inbox, attachment.userId, frame);
        try {
          peers.set(groupPeerKey(frame.groupId, peerId), await this.deps.groupMembers(frame.groupId, [attachment.userId, peerId]));
        } catch (error) {
          peers.set(groupPeerKey(frame.groupId, peerId), error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return peers;
  }

  private prepare(send: QueuedSend, facts: Map<string, PeerFacts | Error>, groupPeers: Map<string, boolean | Error>, now: number): PreparedSend {
    const { attachment, frame, log } = send;
    try {
      return prepareSend(
        {
          userId: attachment.userId,
          sessionId: attachment.sessionId,
          inbox: this.deps.inbox,
          facts: (peerId) => {
            const found = facts.get(peerId);
            if (found === undefined) throw new Error(`No facts were loaded for the peer ${peerId}.`);
            if (found instanceof Error) throw found;
            return found;
          },
          groupPeer: (groupId, peerId) => {
            const found = groupPeers.get(groupPeerKey(groupId, peerId));
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

  /** Delivers the stored messages, one call per recipient; returns the recipients whose call failed. */
  private async deliver(batch: QueuedSend[], prepared: PreparedSend[]): Promise<Set<string>> {
    const byRecipient = new Map<string, ChatMessage[]>();
    prepared.forEach((outcome) => {
      if (outcome.kind !== 'stored' || !outcome.deliver) return;
      const message = outcome.event.message;
      const messages = byRecipient.get(message.to) ?? [];
      if (!messages.some((queued) => queued.id === message.id)) messages.push(message);
      byRecipient.set(message.to, messages);
    });

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

  private answer(send: QueuedSend, outcome: PreparedSend, failed: Set<string>): void {
    switch (outcome.kind) {
      case 'reply':
        this.deps.sendFrame(send.ws, outcome.reply);
        return;
      case 'stored': {
        if (outcome.added) this.deps.broadcast({ type: 'event', event: outcome.added }, send.attachment.socketId);
        const message = outcome.event.message;
        const undelivered = outcome.deliver && failed.has(message.to);
        this.deps.sendFrame(send.ws, undelivered ? deliveryFailed(message.cid) : ackFor(outcome.event));
        return;
      }
      default: {
        const unreachable: never = outcome;
        throw new Error(`Unhandled send outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

function groupPeerKey(groupId: string, peerId: string): string {
  return `${groupId}\n${peerId}`;
}

function internalError(cid: string): ServerErrorFrame {
  return { type: 'error', code: 'internal', cid, message: 'Sending failed; resend with the same cid.' };
}
