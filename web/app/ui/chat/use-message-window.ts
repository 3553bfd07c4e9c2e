// The messages a chat view shows: a window of the newest ones that grows by
// one page each time the user scrolls to the top, reloaded from IndexedDB
// whenever local data changes.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { dataVersion } from '../../state/account';
import type { FeigeDb, StoredMessage } from '../../store/db';
import { findWindowStart, hasMessagesBefore, loadMessagesSince } from '../../store/messages';

/** Messages added to the window per scroll to the top; about three screens of short messages. */
export const MESSAGE_PAGE_SIZE = 50;

export interface MessageWindow {
  messages: StoredMessage[] | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
}

export function useMessageWindow(db: FeigeDb, conversationId: string): MessageWindow {
  const [messages, setMessages] = useState<StoredMessage[] | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const start = useRef<number | null>(null);
  const request = useRef(0);
  const version = dataVersion.value;

  const load = useCallback(async () => {
    const id = ++request.current;
    start.current ??= await findWindowStart(db, conversationId, Infinity, MESSAGE_PAGE_SIZE);
    const from = start.current;
    const [loaded, older] = await Promise.all([
      loadMessagesSince(db, conversationId, from),
      from === -Infinity ? Promise.resolve(false) : hasMessagesBefore(db, conversationId, from),
    ]);
    if (id !== request.current) return;

    setMessages(loaded);
    setHasOlder(older);
  }, [db, conversationId]);

  useEffect(() => {
    load().catch((error: unknown) => console.error('[chat] reading messages failed', { conversationId, error }));
  }, [load, version]);

  const loadOlder = useCallback(() => {
    const from = start.current;
    if (loadingOlder || from === null || from === -Infinity) return;

    setLoadingOlder(true);
    findWindowStart(db, conversationId, from, MESSAGE_PAGE_SIZE)
      .then((earlier) => {
        start.current = earlier;
        return load();
      })
      .catch((error: unknown) => console.error('[chat] reading older messages failed', { conversationId, error }))
      .finally(() => setLoadingOlder(false));
  }, [db, conversationId, load, loadingOlder]);

  return { messages, hasOlder, loadingOlder, loadOlder };
}
