// Feige as a bench target: users made through the real HTTP API, messages as
// real end-to-end encrypted envelopes, and sockets speaking protocol/frames.ts.

import { randomBytes } from 'node:crypto';
import { CID_MIN_LENGTH } from '../../protocol/limits';
import { seedChat, type SeedOutcome } from '../feige/browser-seed';
import { prepareSends } from '../feige/envelopes';
import { feigeGroupSupport } from '../feige/group-support';
import type { FeigePath, FeigeServer } from '../feige/server';
import { FeigeSocket } from '../feige/socket';
import { createAccount, createUser, mapConcurrent, type FeigeUser } from '../feige/users';
import { withDeadline } from '../system/deadline';
import type { ConnectOptions, Connection, GroupSupport, PreparedMessage, Target, TargetUser } from './target';
import { WorkerdProcessTarget } from './workerd-process-target';

/** Registrations run PBKDF2 in the Worker; two at a time keep both cores busy without queueing. */
const SIGN_UP_CONCURRENCY = 2;
/** `send` frames in flight while a backlog is stored. */
const BACKLOG_WINDOW = 32;

interface AccountUser extends TargetUser {
  token: string;
}

export class FeigeTarget extends WorkerdProcessTarget implements Target {
  readonly label = 'Feige';
  readonly groups: GroupSupport = feigeGroupSupport(
    () => this.server.url,
    (user) => this.tokenOf(user),
  );
  private readonly runTag = randomBytes(3).toString('hex');
  private readonly chatPool: FeigeUser[] = [];
  private readonly plainPool: AccountUser[] = [];
  /** The newest inbox seq each user's client has applied, as the PWA keeps it in IndexedDB. */
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly server: FeigeServer) {
    super(() => server.workerdPid());
  }

  get origin(): string {
    return this.server.url;
  }

  /** Whether the bench reaches the Worker's workerd directly or through wrangler's dev proxy. */
  get path(): FeigePath {
    return this.server.path;
  }

  /** Has a fresh bench user send `count` encrypted messages to the PWA user `username`. */
  async seedBrowserChat(username: string, count: number, timeoutMs: number): Promise<SeedOutcome> {
    const pool = await this.chatUsers(this.chatPool.length + 1);
    return seedChat(this.server.url, this.chatUser(pool.at(-1)!), username, count, timeoutMs);
  }

  async chatUsers(count: number): Promise<TargetUser[]> {
    const start = this.chatPool.length;
    if (count > start) {
      const made = await mapConcurrent(count - start, SIGN_UP_CONCURRENCY, (i) =>
        createUser(this.server.url, `bc${this.runTag}_${start + i}`),
      );
      this.chatPool.push(...made);
    }
    return this.chatPool.slice(0, count);
  }

  async plainUsers(count: number): Promise<TargetUser[]> {
    const start = this.plainPool.length;
    if (count > start) {
      const made = await mapConcurrent(count - start, SIGN_UP_CONCURRENCY, (i) =>
        createAccount(this.server.url, `bp${this.runTag}_${start + i}`),
      );
      this.plainPool.push(...made);
    }
    return this.plainPool.slice(0, count);
  }

  async prepareMessages(from: TargetUser, to: TargetUser, count: number, tag: string): Promise<PreparedMessage[]> {
    const cidPrefix = `cid-${tag}`.padEnd(CID_MIN_LENGTH, '0');
    const sends = await prepareSends(this.server.url, this.chatUser(from), this.chatUser(to), count, cidPrefix);
    return sends.map((send) => ({ key: send.cid, to, wire: send.frame }));
  }

  async connect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    const socket = await this.open(user, options);
    return this.connection(socket);
  }

  async storeBacklog(messages: PreparedMessage[], from: TargetUser, timeoutMs: number): Promise<void> {
    let acked = 0;
    let next = 0;
    let failure: string | undefined;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));

    const socket = await FeigeSocket.open(
      this.server.url,
      this.tokenOf(from),
      {
        onAck: () => {
          acked += 1;
          if (next < messages.length) socket.sendText(messages[next++]!.wire);
          if (acked === messages.length) finish();
        },
        onError: (error) => {
          failure = `${error.code}: ${error.message}`;
          finish();
        },
        onProblem: (problem) => {
          failure = problem;
          finish();
        },
      },
      timeoutMs,
    );
    try {
      while (next < Math.min(BACKLOG_WINDOW, messages.length)) socket.sendText(messages[next++]!.wire);
      await withDeadline(done, timeoutMs, `storing ${messages.length} backlog messages`);
      if (failure) throw new Error(`storing the backlog failed: ${failure}`);
    } finally {
      await socket.close();
    }
  }

  /** Syncs as a new device would: from seq 0, whatever this bench's client applied before. */
  syncFromStart(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    this.lastSeq.delete(user.id);
    return this.reconnect(user, options);
  }

  catchUp(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.reconnect(user, options);
  }

  /** Opens a socket and pages through `sync` from the last applied seq until `hasMore` is false, as the PWA does on every connect. */
  async reconnect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    let finish: () => void = () => {};
    const synced = new Promise<void>((resolve) => (finish = resolve));
    const socket = await this.open(user, {
      ...options,
      onSyncPage: (page) => {
        const last = page.events.at(-1);
        if (last) this.lastSeq.set(user.id, last.seq);
        if (page.hasMore && last) socket.sync(last.seq);
        else finish();
      },
    });
    socket.sync(this.lastSeq.get(user.id) ?? 0);
    await withDeadline(synced, options.timeoutMs, `sync of user ${user.id}`);
    return this.connection(socket);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private open(
    user: TargetUser,
    options: ConnectOptions & { onSyncPage?: (page: { events: { seq: number }[]; hasMore: boolean }) => void },
  ): Promise<FeigeSocket> {
    return FeigeSocket.open(
      this.server.url,
      this.tokenOf(user),
      {
        onEvent: (event) => {
          this.lastSeq.set(user.id, Math.max(this.lastSeq.get(user.id) ?? 0, event.seq));
          if (event.kind === 'message' && event.message.to === user.id) options.onMessage(event.message.cid);
        },
        onSyncPage: (page) => {
          for (const event of page.events) {
            if (event.kind === 'message' && event.message.to === user.id) options.onMessage(event.message.cid);
          }
          options.onSyncPage?.(page);
        },
        onAck: (ack) => options.onStored?.(ack.cid),
        onError: (error) => options.onProblem(`${error.code}: ${error.message}`),
        onProblem: options.onProblem,
      },
      options.timeoutMs,
    );
  }

  private connection(socket: FeigeSocket): Connection {
    return {
      send: (message) => socket.queueSend(message.wire),
      close: () => socket.close(),
      drop: () => socket.terminate(),
    };
  }

  private chatUser(user: TargetUser): FeigeUser {
    const found = this.chatPool.find((candidate) => candidate.id === user.id);
    if (!found) throw new Error(`user ${user.id} is not a Feige chat user of this bench`);
    return found;
  }

  private tokenOf(user: TargetUser): string {
    const found = this.chatPool.find((candidate) => candidate.id === user.id) ?? this.plainPool.find((candidate) => candidate.id === user.id);
    if (!found) throw new Error(`user ${user.id} is not a Feige user of this bench`);
    return found.token;
  }
}
