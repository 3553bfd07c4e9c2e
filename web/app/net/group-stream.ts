// The live stream of one group: a WebSocket to the group's own object
// (GET /api/v1/groups/:groupId/socket), reopened with backoff. Each
// connection waits for `group.welcome`, pages through `group.sync` from the
// last groupSeq the caller stored, then hands on live `group.entry` frames in
// group order. Entries that arrive during the sync wait until it ends. A
// closed membership (left, kicked, dissolved or refused) stops the stream.
//
// The server pushes every entry appended after it accepted the socket, and
// the sync reads everything up to the head at that point, so the stream has
// no gap. Entries at or below the last delivered groupSeq are dropped.

import {
  CLOSE_GROUP_MEMBERSHIP_ENDED,
  CLOSE_UNAUTHORIZED,
  PONG_FRAME,
  groupSocketServerFrameSchema,
  type ClientGroupSyncFrame,
  type GroupSocketServerFrame,
  type ServerGroupPageFrame,
} from '../../../protocol/frames';
import type { GroupLogEntry } from '../../../protocol/groups';
import { ReconnectSchedule } from './backoff';
import type { SocketFactory } from './socket-io';
import {
  CLOSE_CLIENT_DROPPED,
  CLOSE_NORMAL,
  closeSocketQuietly,
  endWelcomeWait,
  openSocketLink,
  stopLinkTimers,
  type SocketLink,
} from './socket-link';

/** The reason a stream stopped for good. */
export type GroupStreamEnd = 'left' | 'kicked' | 'dissolved' | 'not_a_member' | 'not_found' | 'unauthorized';

export interface GroupStreamOptions {
  /** The group socket URL, from `groupSocketUrl`. */
  url: string;
  token: string;
  groupId: string;
  /** Returns the groupSeq up to which the caller has stored the group. The stream reads it on every (re)connect. */
  lastGroupSeq(): Promise<number>;
  openSocket: SocketFactory;
  /** Receives new entries in group order. The next batch waits until the returned promise settles. */
  onEntries(entries: GroupLogEntry[]): void | Promise<void>;
  /** Receives the reason after the membership ended or the session was rejected. The stream has stopped by then. */
  onRemoved(reason: GroupStreamEnd): void;
  random?: () => number;
}

interface StreamConnection extends SocketLink {
  syncing: boolean;
  /** Live entries that arrived during the sync, delivered after it. */
  bufferedEntries: GroupLogEntry[];
  /** The reason the server gave before closing: the last ending change or refusal seen. */
  ending: GroupStreamEnd | null;
}

export class GroupStream {
  private connection: StreamConnection | null = null;
  private stopped = true;
  private lastSeq = 0;
  private readonly schedule: ReconnectSchedule;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Frames are handled one at a time, in arrival order, because `onEntries` may write to IndexedDB. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: GroupStreamOptions) {
    this.schedule = new ReconnectSchedule(options.random ?? Math.random);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket for good and drops the frames still queued. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.drop(CLOSE_NORMAL, 'stopped');
  }

  private connect(): void {
    const fields: Omit<StreamConnection, keyof SocketLink> = { syncing: false, bufferedEntries: [], ending: null };
    this.connection = openSocketLink(this.options.url, this.options.token, this.options.openSocket, 'group.welcome', fields, {
      message: (connection, data) => this.receive(connection, data),
      close: (connection, code) => this.enqueue(connection, () => this.handleClose(connection, code)),
      dead: (connection, reason) => this.handleDead(connection, reason),
    });
  }

  private receive(connection: StreamConnection, data: unknown): void {
    connection.heartbeat.received();
    if (data === PONG_FRAME) return;

    const frame = parseGroupFrame(data);
    if (!frame) {
      console.warn('[group-stream] ignored an invalid frame', { groupId: this.options.groupId });
      return;
    }
    this.enqueue(connection, () => this.handleFrame(connection, frame));
  }

  private enqueue(connection: StreamConnection, work: () => void | Promise<void>): void {
    this.queue = this.queue
      .then(() => (connection === this.connection ? work() : undefined))
      .catch((error: unknown) => {
        console.error('[group-stream] handling a frame failed; reconnecting', error);
        if (connection !== this.connection) return;
        this.drop(CLOSE_CLIENT_DROPPED, 'frame handling failed');
        this.scheduleReconnect();
      });
  }

  private async handleFrame(connection: StreamConnection, frame: GroupSocketServerFrame): Promise<void> {
    switch (frame.type) {
      case 'group.welcome':
        endWelcomeWait(connection);
        this.schedule.reset();
        this.lastSeq = Math.max(this.lastSeq, await this.options.lastGroupSeq());
        this.requestPage(connection);
        return;
      case 'group.page':
        await this.handlePage(connection, frame);
        return;
      case 'group.entry':
        noteEnding(connection, frame.entry);
        if (connection.syncing) connection.bufferedEntries.push(frame.entry);
        else await this.deliver([frame.entry]);
        return;
      case 'error':
        if (frame.code === 'not_a_member' || frame.code === 'not_found') connection.ending = frame.code;
        else console.warn('[group-stream] server error', { groupId: this.options.groupId, code: frame.code, message: frame.message });
        return;
      case 'pong':
        return;
      default: {
        const unreachable: never = frame;
        throw new Error(`Unhandled group socket frame ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async handlePage(connection: StreamConnection, page: ServerGroupPageFrame): Promise<void> {
    await this.deliver(page.entries);
    if (page.hasMore) {
      this.requestPage(connection);
      return;
    }

    connection.syncing = false;
    const buffered = connection.bufferedEntries.splice(0);
    await this.deliver(buffered);
  }

  private requestPage(connection: StreamConnection): void {
    connection.syncing = true;
    const frame: ClientGroupSyncFrame = { type: 'group.sync', groupId: this.options.groupId, after: this.lastSeq };
    connection.socket.send(JSON.stringify(frame));
  }

  /** Hands on the entries past the last delivered groupSeq, in order. */
  private async deliver(entries: readonly GroupLogEntry[]): Promise<void> {
    const fresh = entries.filter((entry) => entry.groupSeq > this.lastSeq);
    const last = fresh.at(-1);
    if (!last) return;

    this.lastSeq = last.groupSeq;
    await this.options.onEntries(fresh);
  }

  private handleClose(connection: StreamConnection, code: number): void {
    this.teardown(connection);
    if (code === CLOSE_GROUP_MEMBERSHIP_ENDED || code === CLOSE_UNAUTHORIZED) {
      const reason: GroupStreamEnd = code === CLOSE_UNAUTHORIZED ? 'unauthorized' : (connection.ending ?? 'not_a_member');
      this.stop();
      this.options.onRemoved(reason);
      return;
    }
    this.scheduleReconnect();
  }

  private handleDead(connection: StreamConnection, reason: string): void {
    if (connection !== this.connection) return;
    console.warn(`[group-stream] ${reason}; reconnecting`, { groupId: this.options.groupId });
    this.drop(CLOSE_CLIENT_DROPPED, reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.schedule.next();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  /** Closes the current socket at once; its close event, arriving later, is then ignored. */
  private drop(code: number, reason: string): void {
    const connection = this.connection;
    if (!connection) return;
    this.teardown(connection);
    closeSocketQuietly(connection, code, reason, '[group-stream]');
  }

  private teardown(connection: StreamConnection): void {
    stopLinkTimers(connection);
    if (this.connection === connection) this.connection = null;
  }
}

/** Returns the group socket URL on the page's own origin. */
export function groupSocketUrl(location: Location, groupId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/groups/${encodeURIComponent(groupId)}/socket`;
}

function parseGroupFrame(data: unknown): GroupSocketServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const result = groupSocketServerFrameSchema.safeParse(JSON.parse(data));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers a change that ends memberships, so the close that follows it can be explained. */
function noteEnding(connection: StreamConnection, entry: GroupLogEntry): void {
  if (entry.kind !== 'change') return;
  const type = entry.change.type;
  if (type === 'left' || type === 'kicked' || type === 'dissolved') connection.ending = type;
}
