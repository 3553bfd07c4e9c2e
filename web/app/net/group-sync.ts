// Reads group logs with `group.sync`, one group at a time, page by page from
// each group's stored lastGroupSeq. A caught-up connection reads every
// `pull` group; opening a chat requests its group again. A refused sync is
// an `error` without a cid that names the group (see applyError).

import type { ErrorCode } from '../../../protocol/errors';
import type { ClientFrame, ServerGroupPageFrame } from '../../../protocol/frames';
import { GROUP_SYNC_PAGE_MAX } from '../../../protocol/limits';
import type { Connection } from './connection';
import type { InboxStore } from './socket-io';
import { wantsNextPage } from './sync-rules';

export interface GroupSyncHooks {
  store: InboxStore;
  send(connection: Connection, frame: ClientFrame): void;
  isCurrent(connection: Connection): boolean;
}

interface SyncState {
  connection: Connection;
  queue: string[];
  /** The group whose `group.sync` waits for its page. */
  inFlight: string | null;
}

export class GroupSync {
  private state: SyncState | null = null;

  constructor(private readonly hooks: GroupSyncHooks) {}

  /** Queues every `pull` group of the user; called once per connection after the inbox sync. */
  async syncPullGroups(connection: Connection): Promise<void> {
    const groups = await this.hooks.store.pullGroups();
    for (const group of groups) await this.request(connection, group.groupId);
  }

  /** Queues one group unless it is queued or being read already. */
  async request(connection: Connection, groupId: string): Promise<void> {
    const state = this.stateFor(connection);
    if (state.inFlight === groupId || state.queue.includes(groupId)) return;

    state.queue.push(groupId);
    await this.next(state);
  }

  async applyPage(connection: Connection, page: ServerGroupPageFrame): Promise<void> {
    const { lastGroupSeq } = await this.hooks.store.applyGroupPage(page);
    const state = this.state;
    if (!state || state.connection !== connection || state.inFlight !== page.groupId) return;

    const entries = page.entries;
    if (wantsNextPage({ hasMore: page.hasMore, events: entries })) {
      this.hooks.send(connection, { type: 'group.sync', groupId: page.groupId, after: lastGroupSeq, limit: GROUP_SYNC_PAGE_MAX });
      return;
    }
    state.inFlight = null;
    await this.next(state);
  }

  /**
   * Takes an `error` without a cid. A `not_a_member` or `not_found` that
   * names the group in flight is the reply to its sync: the user was removed
   * or the group dissolved. One without a group id is taken as the reply to
   * the sync in flight, because the server replies in order. Returns whether the
   * error belonged to a sync.
   */
  async applyError(connection: Connection, code: ErrorCode, namedGroupId: string | undefined): Promise<boolean> {
    const state = this.state;
    if (!state || state.connection !== connection || state.inFlight === null) return false;
    if (code !== 'not_a_member' && code !== 'not_found') return false;
    if (namedGroupId !== undefined && namedGroupId !== state.inFlight) return false;

    const groupId = state.inFlight;
    state.inFlight = null;
    console.info('[socket] the server rejected a group sync', { groupId, code });
    await this.hooks.store.setGroupState(groupId, code === 'not_found' ? 'dissolved' : 'removed');
    await this.next(state);
    return true;
  }

  private stateFor(connection: Connection): SyncState {
    if (this.state?.connection !== connection) this.state = { connection, queue: [], inFlight: null };
    return this.state;
  }

  private async next(state: SyncState): Promise<void> {
    if (state.inFlight !== null || !this.hooks.isCurrent(state.connection)) return;
    const groupId = state.queue.shift();
    if (groupId === undefined) return;

    state.inFlight = groupId;
    const after = await this.hooks.store.lastGroupSeq(groupId);
    this.hooks.send(state.connection, { type: 'group.sync', groupId, after, limit: GROUP_SYNC_PAGE_MAX });
  }
}
