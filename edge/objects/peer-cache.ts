// Facts about a peer that the send path needs, kept in the sending user's
// object so that a send reads no D1: the relation decision and the active
// devices of both users. They live in memory only, so an evicted object reads
// D1 again.
//
// Invalidation: every route that changes a relation, a setting or a device
// calls `UserDO.relationsChanged` of a user it touched (edge/relations/relation-changes.ts).
// That object drops its own entries and calls each object that cached it as a
// peer (its watchers) to drop that entry. A fill registers as a watcher before
// it reads D1 and is discarded when an invalidation arrives meanwhile, so a
// change either shows in the read or drops the entry afterwards.

import type { ActiveDevice } from './envelope-check';
import type { RecipientCheck } from './send-message';

export interface PeerFacts {
  check: RecipientCheck;
  /** Active devices of the peer and of this user (one list when they are the same user). */
  devices: readonly ActiveDevice[];
}

export interface PeerSource {
  /** Registers this user as a watcher of `peerId`, so that changes of the peer reach this cache. */
  watch(peerId: string): Promise<void>;
  /** Reads the facts from D1. */
  read(peerId: string): Promise<PeerFacts>;
}

export class PeerCache {
  private readonly entries = new Map<string, PeerFacts>();
  /** Peers whose objects already list this user as a watcher; they keep the row across evictions. */
  private readonly watching = new Set<string>();
  /** Bumped by every invalidation, so a fill that overlapped one is not kept. */
  private generation = 0;

  constructor(private readonly source: PeerSource) {}

  /** Returns the cached facts of `peerId`, or undefined when a fill must run first. */
  peek(peerId: string): PeerFacts | undefined {
    return this.entries.get(peerId);
  }

  /** Returns the facts of `peerId`, from memory when possible, else from D1. */
  async get(peerId: string): Promise<PeerFacts> {
    const cached = this.entries.get(peerId);
    if (cached) return cached;

    const started = this.generation;
    if (!this.watching.has(peerId)) {
      // A recipient id that names no user gets no watcher row, so sends to
      // made-up ids create no objects. The read after `watch` is the one kept.
      const first = await this.source.read(peerId);
      if (first.check === 'not_found') return first;
      await this.source.watch(peerId);
      this.watching.add(peerId);
    }

    const facts = await this.source.read(peerId);
    if (this.generation === started && facts.check !== 'not_found') this.entries.set(peerId, facts);
    return facts;
  }

  /** Drops the entry of one peer, after that peer's object reported a change. */
  forget(peerId: string): void {
    this.generation += 1;
    this.entries.delete(peerId);
  }

  /** Drops every entry, after a change of this user's own relations, settings or devices. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
