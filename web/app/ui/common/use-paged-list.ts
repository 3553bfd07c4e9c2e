// Loads a cursor-paged list from the server: the first page when `key`
// changes, more pages on request. A page that arrives after `key` changed is
// dropped, so a fast tab switch or a new search never shows stale rows.

import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../i18n';
import { ApiError } from '../../net/http';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T> {
  items: T[];
  state: 'loading' | 'ready' | 'failed';
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

export function usePagedList<T>(key: string, loadPage: (cursor: string | null) => Promise<Page<T>>): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [state, setState] = useState<PagedList<T>['state']>('loading');
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);

  const fetchPage = (after: string | null, replace: boolean) => {
    const current = ++generation.current;
    setState('loading');
    loadPage(after)
      .then((page) => {
        if (current !== generation.current) return;
        setItems((previous) => (replace ? page.items : [...previous, ...page.items]));
        setCursor(page.nextCursor);
        setError(null);
        setState('ready');
      })
      .catch((failure: unknown) => {
        if (current !== generation.current) return;
        setError(describeFailure(failure));
        setState('failed');
      });
  };

  useEffect(() => {
    setItems([]);
    setCursor(null);
    fetchPage(null, true);
    return () => {
      generation.current++;
    };
  }, [key, attempt]);

  return {
    items,
    state,
    error,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor !== null && state !== 'loading') fetchPage(cursor, false);
    },
    reload: () => setAttempt((value) => value + 1),
  };
}

export function describeFailure(failure: unknown): string {
  if (failure instanceof ApiError) return errorText(failure.details);
  console.error('[relations] unexpected failure', failure);
  return errorText({ code: 'internal' });
}
