// The seams between the socket client and the browser: opening a WebSocket,
// network status events, Web Locks. Tests pass their own implementations.

import type { Envelope } from '../../../protocol/envelope';
import type { InboxEvent, ServerAckFrame, ServerGroupAckFrame, ServerGroupPageFrame, UserDevices } from '../../../protocol/frames';
import type { GroupE2eContent } from '../e2e/group-crypto';
import type { OpenedEvents } from '../e2e/open-events';
import type { OutboxEntry, SendFailure } from '../store/db';
import type { ReadMarker } from '../store/conversations';
import type { GroupMembershipState } from '../store/group-records';
import type { GroupAckResult, GroupPageResult } from '../store/group-log';

export interface SocketEvents {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, protocols: string[], events: SocketEvents) => SocketLike;

export interface NetworkMonitor {
  isOnline(): boolean;
  /** Calls `online` and `offline` on the browser events of those names; returns the unsubscribe function. */
  subscribe(handlers: { online(): void; offline(): void }): () => void;
}

export type LockRunner = (name: string, work: () => Promise<void>) => Promise<void>;

/** A sync page whose decryption started when it arrived, before the pages ahead of it were stored (InboxStore.openAhead). */
export interface OpenedAhead {
  readonly events: readonly InboxEvent[];
  readonly opening: Promise<OpenedEvents>;
}

/** The local database as the socket client sees it. */
export interface InboxStore {
  lastSeq(): Promise<number>;
  /**
   * Starts decrypting `events` now, after every page or event whose
   * decryption started before, so that it runs while IndexedDB stores the
   * page ahead. Returns undefined for events whose opening must wait until
   * the events before them are stored (a group change rotates sender keys).
   */
  openAhead?(events: readonly InboxEvent[]): OpenedAhead | undefined;
  /** Stores `events`, decrypting them first unless `ahead` contains their opening. */
  applyEvents(events: readonly InboxEvent[], ahead?: OpenedAhead): Promise<{ lastSeq: number }>;
  applyAck(ack: ServerAckFrame): Promise<{ lastSeq: number; gap: boolean }>;
  outbox(): Promise<OutboxEntry[]>;
  markFailed(cid: string, failure: SendFailure): Promise<void>;
  unsentReads(): Promise<ReadMarker[]>;
  markReadSent(marker: ReadMarker): Promise<void>;
  /** Stores the entries of a `group.page`, decrypting `group_e2e` messages first. */
  applyGroupPage(page: ServerGroupPageFrame): Promise<GroupPageResult>;
  applyGroupAck(ack: ServerGroupAckFrame): Promise<GroupAckResult>;
  /** The `pull` groups the user is a member of, with the groupSeq each was read up to. */
  pullGroups(): Promise<Array<{ groupId: string; lastGroupSeq: number }>>;
  /** The groupSeq up to which a group is stored locally. */
  lastGroupSeq(groupId: string): Promise<number>;
  setGroupState(groupId: string, state: GroupMembershipState): Promise<void>;
  /** Keeps the sender-key ciphertext of an outbox entry for its resends. */
  storeGroupContent(cid: string, content: GroupE2eContent): Promise<void>;
}

export type SealOutcome = { ok: true; envelope: Envelope } | { ok: false; failure: SendFailure };

/** End-to-end encryption as the socket client uses it; web/app/e2e/end-to-end.ts implements it. */
export interface SendCrypto {
  /** Registers or refreshes this browser's device in the key directory; runs before the client's first socket opens. */
  prepare(): Promise<void>;
  /** Returns the envelope to send for an outbox entry, or the reason it can never be sent. */
  seal(entry: OutboxEntry): Promise<SealOutcome>;
  /** Takes the lists of a `devices_changed` error, so that the next seal of `cid` addresses the current devices. */
  devicesChanged(cid: string, devices: readonly UserDevices[]): Promise<void>;
  /** Uploads one-time prekeys after a `prekeys.low` frame. */
  preKeysLow(): Promise<void>;
  /** Encrypts a message to an `end_to_end` group with this device's sender key (web/app/e2e/group-crypto.ts). */
  sealGroupText(groupId: string, text: string): Promise<GroupE2eContent>;
}

export const openBrowserSocket: SocketFactory = (url, protocols, events) => {
  const socket = new WebSocket(url, protocols);
  socket.onopen = () => events.open();
  socket.onmessage = (event) => events.message(event.data);
  socket.onclose = (event) => events.close(event.code, event.reason);
  return socket;
};

export const browserNetwork: NetworkMonitor = {
  isOnline: () => navigator.onLine,
  subscribe(handlers) {
    const online = () => handlers.online();
    const offline = () => handlers.offline();
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
};

/** Runs `work` under an exclusive Web Lock shared by all tabs of this origin, or directly where Web Locks are missing. */
export const runWithWebLock: LockRunner = async (name, work) => {
  if (!('locks' in navigator)) return work();
  await navigator.locks.request(name, work);
};

/** Returns the WebSocket URL on the page's own origin. */
export function socketUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}
