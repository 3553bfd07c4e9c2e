// Live delivery of `pull` groups. Their messages are not copied into the
// member's inbox, so the account keeps one group socket (GroupStream) per
// such group open while it runs. Entries go through the same store path as
// `group.page` frames, so a message that also arrives by a sync is stored
// once.

import type { GroupLogEntry } from '../../../protocol/groups';
import { GroupStream, type GroupStreamEnd } from '../net/group-stream';
import type { InboxStore, SocketFactory } from '../net/socket-io';

/**
 * Group sockets one account keeps open at most. Groups past it are still read
 * on every connect of the main socket and when their chat opens, but show new
 * messages only then.
 */
export const GROUP_LIVE_STREAMS_MAX = 20;

export interface GroupStreamsOptions {
  token: string;
  store: InboxStore;
  openSocket: SocketFactory;
  /** The group socket URL of a group, `groupSocketUrl(location, groupId)` in the browser. */
  socketUrl(groupId: string): string;
}

export class GroupStreams {
  private readonly streams = new Map<string, GroupStream>();
  private stopped = false;

  constructor(private readonly options: GroupStreamsOptions) {}

  /** Opens a stream for each `pull` group the user is a member of (up to the cap) and closes the others. */
  async refresh(): Promise<void> {
    const groups = await this.options.store.pullGroups();
    if (this.stopped) return;

    // TODO: past GROUP_LIVE_STREAMS_MAX the choice follows the store's order, not the groups' recent activity.
    const wanted = new Set(groups.slice(0, GROUP_LIVE_STREAMS_MAX).map((group) => group.groupId));
    for (const [groupId, stream] of this.streams) {
      if (wanted.has(groupId)) continue;
      stream.stop();
      this.streams.delete(groupId);
    }
    for (const groupId of wanted) {
      if (!this.streams.has(groupId)) this.open(groupId);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }

  private open(groupId: string): void {
    const { store } = this.options;
    const stream = new GroupStream({
      url: this.options.socketUrl(groupId),
      token: this.options.token,
      groupId,
      lastGroupSeq: () => store.lastGroupSeq(groupId),
      openSocket: this.options.openSocket,
      onEntries: (entries) => this.store(groupId, entries),
      onRemoved: (reason) => this.end(groupId, reason),
    });
    this.streams.set(groupId, stream);
    stream.start();
  }

  private async store(groupId: string, entries: GroupLogEntry[]): Promise<void> {
    const headSeq = entries.reduce((max, entry) => Math.max(max, entry.groupSeq), 0);
    try {
      await this.options.store.applyGroupPage({ type: 'group.page', groupId, entries, hasMore: false, headSeq });
    } catch (error) {
      console.error('[groups] storing live group entries failed', { groupId, count: entries.length, error });
    }
  }

  private end(groupId: string, reason: GroupStreamEnd): void {
    this.streams.delete(groupId);
    console.info('[groups] a group stream ended', { groupId, reason });
    if (reason === 'unauthorized') return;

    const state = reason === 'dissolved' || reason === 'not_found' ? 'dissolved' : 'removed';
    this.options.store.setGroupState(groupId, state).catch((error: unknown) => {
      console.error('[groups] storing the end of a membership failed', { groupId, reason, error });
    });
  }
}
