// The messages a chat view shows: a window of the newest ones that grows by
// one page each time the user scrolls to the top, reloaded from IndexedDB
// whenever local data changes.
//
// Opening a chat must show its messages within a few milliseconds. So the
// newest windows of the conversations at the top of the chat list are read
// into memory while the browser is idle, and a chat found there renders its
// messages in its first pass. Otherwise the first read starts while the view
// renders, not in an effect, which Preact runs after the next paint.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { dataVersion } from '../../state/account';
import type { FeigeDb, StoredMessage } from '../../store/db';
import { findWindowStart, hasMessagesBefore, loadMessagesSince } from '../../store/messages';

/** Messages added to the window per scroll to the top; about three screens of short messages. */
export const MESSAGE_PAGE_SIZE = 50;

/** Conversations from the top of the chat list whose newest window is read ahead; about one screen of the list. */
const PREFETCHED_CONVERSATIONS = 8;

/** How long a prefetch waits for the browser to be idle before it reads anyway. */
const PREFETCH_IDLE_TIMEOUT_MS = 500;

export interface MessageWindow {
  messages: StoredMessage[] | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
}

interface WindowSnapshot {
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

function rememberedWindows(db: FeigeDb): Map<string, WindowSnapshot> {
  let windows = lastWindows.get(db);
  if (!windows) {
    windows = new Map();
    lastWindows.set(db, windows);
  }
  return windows;
}

/** Reads the window from `start`, or the newest page when `start` is null. `version` is the current `dataVersion`. */
async function readWindow(db: FeigeDb, conversationId: string, start: number | null, version: number): Promise<WindowSnapshot> {
  const from = start ?? (await findWindowStart(db, conversationId, Infinity, MESSAGE_PAGE_SIZE));
  const [messages, hasOlder] = await Promise.all([
    loadMessagesSince(db, conversationId, from),
    from === -Infinity ? Promise.resolve(false) : hasMessagesBefore(db, conversationId, from),
  ]);
  return { conversationId, start: from, messages, hasOlder, newest: start === null, version };
}

/**
 * Reads the newest window of the first PREFETCHED_CONVERSATIONS of
 * `conversationIds` into memory when the browser is idle, again after each
 * change of local data, so that opening one of them needs no read first.
 */
export function usePrefetchedWindows(db: FeigeDb, conversationIds: readonly string[] | null): void {
  const version = dataVersion.value;
  const wanted = (conversationIds ?? []).slice(0, PREFETCHED_CONVERSATIONS).join('\n');

  useEffect(() => {
    if (wanted === '') return;
    let cancelled = false;

    const prefetch = async () => {
      for (const conversationId of wanted.split('\n')) {
        if (cancelled) return;
        const next = await readWindow(db, conversationId, null, version);
        if (!cancelled) rememberedWindows(db).set(conversationId, next);
      }
    };
    const run = () => {
      prefetch().catch((error: unknown) => console.error('[chat] reading messages ahead failed', { error }));
    };

    // Safari has no requestIdleCallback.
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(run, 0);
      return () => {
        cancelled = true;
        clearTimeout(timer);
      };
    }
    const handle = requestIdleCallback(run, { timeout: PREFETCH_IDLE_TIMEOUT_MS });
    return () => {
      cancelled = true;
      cancelIdleCallback(handle);
    };
  }, [db, wanted, version]);
}

export function useMessageWindow(db: FeigeDb, conversationId: string): MessageWindow {
  const version = dataVersion.value;
  const [snapshot, setSnapshot] = useState<WindowSnapshot | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const request = useRef(0);
  const landed = useRef(0);
  const started = useRef<{ conversationId: string; version: number } | null>(null);

  const own = snapshot?.conversationId === conversationId ? snapshot : undefined;
  const shown = own ?? rememberedWindows(db).get(conversationId);

  const load = useCallback(
    (start: number | null) => {
      const id = ++request.current;
      return readWindow(db, conversationId, start, dataVersion.peek()).then((next) => {
        // A read overtaken by a newer start still shows, unless the newer one
        // landed first: data that changed meanwhile follows with the newer read.
        if (id < landed.current) return;
        landed.current = id;
        rememberedWindows(db).set(conversationId, next);
        setSnapshot(next);
      });
    },
    [db, conversationId],
  );

  // Started during render, at most once per conversation and data version.
  // A window this view widened by scrolling up keeps its start; a chat that
  // was just opened starts again at the newest page, unless the newest page
  // read ahead is still current. Opening the IndexedDB transaction took 8 to
  // 12 ms of the first render in CPU profiles of Chromium 156 on a loaded
  // machine (`node bench/browser/profile-render.mjs --profile`).
  if (started.current?.conversationId !== conversationId || started.current.version !== version) {
    started.current = { conversationId, version };
    const readAheadCurrent = own === undefined && shown !== undefined && shown.newest && shown.version === version;
    if (!readAheadCurrent) {
      load(own ? own.start : null).catch((error: unknown) => console.error('[chat] reading messages failed', { conversationId, error }));
    }
  }

  const loadOlder = useCallback(() => {
    const from = shown?.start;
    if (loadingOlder || from === undefined || from === -Infinity) return;

    setLoadingOlder(true);
    findWindowStart(db, conversationId, from, MESSAGE_PAGE_SIZE)
      .then((earlier) => load(earlier))
      .catch((error: unknown) => console.error('[chat] reading older messages failed', { conversationId, error }))
      .finally(() => setLoadingOlder(false));
  }, [db, conversationId, load, loadingOlder, shown]);

  return { messages: shown?.messages ?? null, hasOlder: shown?.hasOlder ?? false, loadingOlder, loadOlder };
}
