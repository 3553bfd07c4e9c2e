// The messages a chat view shows: a window of the newest ones that grows by
// one page each time the user scrolls to the top, reloaded from IndexedDB
// whenever local data changes.
//
// Opening a chat must show its messages within a few milliseconds. So the
// newest windows of the conversations at the top of the chat list are read
// into memory while the browser is idle, and a chat found there renders its
// messages in its first pass. Otherwise the first read starts while the view
// renders, not in an effect, which Preact runs after the next paint.
//
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { dataVersion } from '../../state/account';
import type { FeigeDb, StoredMessage } from '../../store/db';
import { findWindowStart } from '../../store/messages';
import { MESSAGE_PAGE_SIZE, readNewestWindow, readWindow, rememberedWindows, type WindowSnapshot } from './message-windows';

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
        const next = await readNewestWindow(db, conversationId, version);
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

  const land = useCallback(
    (read: Promise<WindowSnapshot>) => {
      const id = ++request.current;
      return read.then((next) => {
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
  // was just opened shows the newest page, read ahead if it is still current
  // and read again from the start of the one read ahead if not. Opening the
  // IndexedDB transaction took 8 to 12 ms of the first render in CPU profiles
  // of Chromium 156 on a loaded machine (`node bench/browser/profile-render.mjs --profile`).
  if (started.current?.conversationId !== conversationId || started.current.version !== version) {
    started.current = { conversationId, version };
    const readAheadCurrent = own === undefined && shown !== undefined && shown.newest && shown.version === version;
    if (!readAheadCurrent) {
      const current = dataVersion.peek();
      const read = own ? readWindow(db, conversationId, own.start, current) : readNewestWindow(db, conversationId, current);
      land(read).catch((error: unknown) => console.error('[chat] reading messages failed', { conversationId, error }));
    }
  }

  const loadOlder = useCallback(() => {
    const from = shown?.start;
    if (loadingOlder || from === undefined || from === -Infinity) return;

    setLoadingOlder(true);
    findWindowStart(db, conversationId, from, MESSAGE_PAGE_SIZE)
      .then((earlier) => land(readWindow(db, conversationId, earlier, dataVersion.peek())))
      .catch((error: unknown) => console.error('[chat] reading older messages failed', { conversationId, error }))
      .finally(() => setLoadingOlder(false));
  }, [db, conversationId, land, loadingOlder, shown]);

  return { messages: shown?.messages ?? null, hasOlder: shown?.hasOlder ?? false, loadingOlder, loadOlder };
}
