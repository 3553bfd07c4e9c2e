// Reads the windows of messages that chat views show, and remembers the last
// one read per conversation, so that a chat opens with its messages in its first render.
//
// A stale window is read again from its own start and cut to the newest page.
// That is one round of IndexedDB reads, while finding the newest page's start
// takes a cursor walk first, which under load delayed the last messages by tens of milliseconds.

import type { FeigeDb, StoredMessage } from '../../store/db';
import { findWindowStart, hasMessagesBefore, loadMessagesSince, loadMessagesSinceAtMost } from '../../store/messages';

/** Messages added to the window per scroll to the top; about three screens of short messages. */
export const MESSAGE_PAGE_SIZE = 50;

/** Maximum number of messages read to bring a stale window up to date; past it the newest page is read from scratch. */
export const REFRESHED_WINDOW_MAX = 3 * MESSAGE_PAGE_SIZE;

export interface WindowSnapshot {
  conversationId: string;
  /** The `ts` of the oldest message in the window, or -Infinity when it contains the whole conversation. */
  start: number;
  messages: StoredMessage[];
  hasOlder: boolean;
  /** True when the read started at the newest page, false for a window widened by scrolling up. */
  newest: boolean;
  /** `dataVersion` when the read was requested; the window is current while the version has not changed. */
  version: number;
}

/** The last window read per conversation of each account database; memory only. */
const lastWindows = new WeakMap<FeigeDb, Map<string, WindowSnapshot>>();

/** Returns the windows remembered for `db`, by conversation id. */
export function rememberedWindows(db: FeigeDb): Map<string, WindowSnapshot> {
  let windows = lastWindows.get(db);
  if (!windows) {
    windows = new Map();
    lastWindows.set(db, windows);
  }
  return windows;
}

/** Reads the window from `start`, or the newest page when `start` is null. `version` is the current `dataVersion`. */
export async function readWindow(db: FeigeDb, conversationId: string, start: number | null, version: number): Promise<WindowSnapshot> {
  const from = start ?? (await findWindowStart(db, conversationId, Infinity, MESSAGE_PAGE_SIZE));
  const [messages, hasOlder] = await Promise.all([
    loadMessagesSince(db, conversationId, from),
    from === -Infinity ? Promise.resolve(false) : hasMessagesBefore(db, conversationId, from),
  ]);
  return { conversationId, start: from, messages, hasOlder, newest: start === null, version };
}

/**
 * Reads the newest window again from the start of `stale` and returns what
 * readWindow gives for the newest page. With a page of messages or fewer the
 * start stays, even where messages in the window were deleted.
 */
export async function refreshWindow(db: FeigeDb, stale: WindowSnapshot, version: number): Promise<WindowSnapshot> {
  const { conversationId } = stale;
  const [since, olderThanStale] = await Promise.all([
    loadMessagesSinceAtMost(db, conversationId, stale.start, REFRESHED_WINDOW_MAX),
    hasMessagesBefore(db, conversationId, stale.start),
  ]);
  if (since === null) return readWindow(db, conversationId, null, version);

  const start = newestPageStart(since, stale.start);
  const messages = start === stale.start ? since : since.filter((message) => message.ts >= start);
  const hasOlder = start === stale.start ? olderThanStale : true;
  return { conversationId, start, messages, hasOlder, newest: true, version };
}

/** Returns the ts of the MESSAGE_PAGE_SIZE-th newest of `messages`, or `start` when they are no more than a page. */
function newestPageStart(messages: readonly StoredMessage[], start: number): number {
  if (messages.length <= MESSAGE_PAGE_SIZE) return start;
  const newestFirst = messages.map((message) => message.ts).sort((a, b) => b - a);
  return newestFirst[MESSAGE_PAGE_SIZE - 1]!;
}

/** Reads the newest window of a conversation, from the start of the one remembered when there is one. */
export function readNewestWindow(db: FeigeDb, conversationId: string, version: number): Promise<WindowSnapshot> {
  const remembered = rememberedWindows(db).get(conversationId);
  return remembered?.newest ? refreshWindow(db, remembered, version) : readWindow(db, conversationId, null, version);
}

