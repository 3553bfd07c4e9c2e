// The reads of a batch of sends before its synchronous step: the stored
// message of each cid, the facts of each peer, group memberships for
// sender-key distributions, and the ids of new messages. A failed read maps to
// its error, so that only the sends that need it fail.

import type { ClientSendFrame } from '../../protocol/frames';
import type { MessageEvent } from './inbox-events';
import type { InboxStore } from './inbox-store';
import { messageIdFor } from './message-ids';
import type { PeerFacts } from './peer-cache';
import { peerOfSend } from './send-message';

export interface LookupSend {
  userId: string;
  frame: ClientSendFrame;
}

export interface BatchLookups {
  /** Per send, the message this user already stored with its cid. */
  existing: (MessageEvent | undefined)[];
  /** Per send, the id its message gets if it is new. */
  ids: string[];
  facts: Map<string, PeerFacts | Error>;
  /** Keyed by `groupPeerKey`. */
  groupPeers: Map<string, boolean | Error>;
}

export interface LookupSources {
  inbox: InboxStore;
  facts(userId: string, peerId: string): Promise<PeerFacts>;
  groupMembers(groupId: string, userIds: string[]): Promise<boolean>;
}

export async function lookUpBatch(sources: LookupSources, batch: readonly LookupSend[]): Promise<BatchLookups> {
  const existing = findExisting(sources.inbox, batch);
  const [facts, groupPeers, ids] = await Promise.all([
    loadFacts(sources, batch, existing),
    loadGroupPeers(sources, batch, existing),
    Promise.all(batch.map(({ userId, frame }) => messageIdFor(userId, frame.cid))),
  ]);
  return { existing, ids, facts, groupPeers };
}

/** Reads the stored message of each send's cid, with one query per sending user (a batch has one). */
function findExisting(inbox: InboxStore, batch: readonly LookupSend[]): (MessageEvent | undefined)[] {
  const cidsByUser = new Map<string, string[]>();
  for (const { userId, frame } of batch) {
    const cids = cidsByUser.get(userId) ?? [];
    cids.push(frame.cid);
    cidsByUser.set(userId, cids);
  }

  const found = new Map<string, Map<string, MessageEvent>>();
  for (const [userId, cids] of cidsByUser) found.set(userId, inbox.findMessages(userId, cids));
  return batch.map(({ userId, frame }) => found.get(userId)?.get(frame.cid));
}

export function groupPeerKey(groupId: string, peerId: string): string {
  return `${groupId}\n${peerId}`;
}

/** Reads the facts of every peer the batch names. */
async function loadFacts(
  sources: LookupSources,
  batch: readonly LookupSend[],
  existing: readonly (MessageEvent | undefined)[],
): Promise<Map<string, PeerFacts | Error>> {
  const senderByPeer = new Map<string, string>();
  batch.forEach(({ userId, frame }, index) => senderByPeer.set(peerOfSend(existing[index], frame), userId));

  const facts = new Map<string, PeerFacts | Error>();
  await Promise.all(
    [...senderByPeer].map(async ([peerId, userId]) => {
      try {
        facts.set(peerId, await sources.facts(userId, peerId));
      } catch (error) {
        facts.set(peerId, asError(error));
      }
    }),
  );
  return facts;
}

/** Reads, for each frame with a `groupId`, whether sender and peer are both members. */
async function loadGroupPeers(
  sources: LookupSources,
  batch: readonly LookupSend[],
  existing: readonly (MessageEvent | undefined)[],
): Promise<Map<string, boolean | Error>> {
  const peers = new Map<string, boolean | Error>();
  await Promise.all(
    batch.map(async ({ userId, frame }, index) => {
      if (frame.groupId === undefined) return;
      const peerId = peerOfSend(existing[index], frame);
      try {
        peers.set(groupPeerKey(frame.groupId, peerId), await sources.groupMembers(frame.groupId, [userId, peerId]));
      } catch (error) {
        peers.set(groupPeerKey(frame.groupId, peerId), asError(error));
      }
    }),
  );
  return peers;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
