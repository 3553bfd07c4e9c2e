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
  timeoutMs: number;
}

export interface GroupSupport {
  /** Connects `members` users, puts them in one group and returns the sender's and the members' connections. */
  prepareGroup(
    groupId: string,
    members: TargetUser[],
    options: ConnectOptions & { onMemberMessage(memberIndex: number, key: string): void },
  ): Promise<{ connections: Connection[]; send(senderIndex: number, key: string): void }>;
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
  stop(): Promise<void>;
}
