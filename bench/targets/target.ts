// The interface between the workloads and a system under test. Feige, the
// relay and ejabberd each implement it with their own protocol, so the
// workloads stay the same.

/** An opaque user of one target, made once and reused across repetitions. */
export interface TargetUser {
  id: string;
}

/** A message ready to send: `key` identifies it on arrival (Feige's cid, XMPP's stanza id). */
export interface PreparedMessage {
  key: string;
  to: TargetUser;
  /** The bytes on the wire, built before the timed part of a workload. */
  wire: string;
}

export interface Connection {
  send(message: PreparedMessage): void;
  /** Closes cleanly and waits for the close. */
  close(): Promise<void>;
  /** Drops the connection at once, as a network loss would. */
  drop(): void;
}

export interface ConnectOptions {
  /** Called once per delivered message, live or from a catch-up. */
  onMessage(key: string): void;
  /** A protocol error or unexpected frame; the workload counts these. */
  onProblem(problem: string): void;
  /** Called when the server confirms it stored a message this connection sent; only targets that acknowledge sends (Feige) call it. */
  onStored?(key: string): void;
  timeoutMs: number;
  /**
   * Index of this connection among one user's concurrent connections, from
   * 0, like tabs of one browser session. Targets that name each connection
   * (an XMPP resource) use it to keep them apart. The default is 0.
   */
  instance?: number;
}

export interface GroupSupport {
  /** Members one group may have; undefined when the target sets no limit. */
  maxMembers?: number;
  /**
   * Puts `members` users in one group, connects member 0 as the sender and
   * opens `receivers` receiving connections spread over the other members,
   * several per member when `receivers` is larger than their count (as a
   * member with several devices has). `onMemberMessage` gets the receiving
   * connection's index, from 1 to `receivers`. Returns every connection,
   * the sender's first.
   */
  prepareGroup(
    groupId: string,
    members: TargetUser[],
    receivers: number,
    options: ConnectOptions & { onMemberMessage(receiverIndex: number, key: string): void },
  ): Promise<{
    connections: Connection[];
    send(senderIndex: number, key: string): void;
    /** Checks what arrived since the last call in full and reports problems through onProblem; for targets that count arrivals before checking them. */
    checkReceived?(): void;
  }>;
}

export interface Target {
  /** Name in the table. */
  label: string;
  /** Users able to send and receive 1:1 messages; the pool grows on demand. */
  chatUsers(count: number): Promise<TargetUser[]>;
  /** Users that only hold a connection (idle sockets, reconnect storm); may be cheaper to make than chat users. */
  plainUsers(count: number): Promise<TargetUser[]>;
  /** Builds `count` messages from `from` to `to`; `tag` keeps keys unique across runs. */
  prepareMessages(from: TargetUser, to: TargetUser, count: number, tag: string): Promise<PreparedMessage[]>;
  connect(user: TargetUser, options: ConnectOptions): Promise<Connection>;
  /**
   * Stores messages for an offline user and resolves once the server stores
   * them all; undefined when the target keeps no messages.
   */
  storeBacklog?(messages: PreparedMessage[], from: TargetUser, timeoutMs: number): Promise<void>;
  /**
   * Connects `user` and resolves when it has received everything stored for
   * it (Feige: `sync` pages; XMPP: offline messages after initial presence).
   * Undefined when the target keeps no messages.
   */
  catchUp?(user: TargetUser, options: ConnectOptions): Promise<Connection>;
  /** Reconnects and resyncs a user the way its real client does after a drop. */
  reconnect(user: TargetUser, options: ConnectOptions): Promise<Connection>;
  groups?: GroupSupport;
  /** Resident memory of the server process, in bytes. */
  serverRss(): number | undefined;
  /** The server process whose CPU time and memory the bench reads from /proc. */
  serverPid(): number | undefined;
  /**
   * Resolves once the server has let go of what earlier phases loaded, or
   * after `maxMs`. Undefined for a target whose idle users cost nothing.
   */
  settle?(maxMs: number): Promise<void>;
  /**
   * SQLite files (database, WAL, shared memory) the server process has open,
   * which on local workerd is three per Durable Object held in memory.
   * Undefined for a target without such objects, or when the process is gone.
   */
  openDatabaseFiles?(): number | undefined;
  stop(): Promise<void>;
}

/** Throws unless `receivers` is one connection per member besides the sender, the only layout of a target without a member limit. */
export function requireOneReceiverPerMember(label: string, members: TargetUser[], receivers: number): void {
  if (receivers !== members.length - 1) {
    throw new Error(`${label} opens one connection per group member, so ${receivers} receivers need ${receivers + 1} members, not ${members.length}`);
  }
}
