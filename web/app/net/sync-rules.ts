// The ordering rules of an inbox, as pure decisions the socket client acts on.

export type LiveEventAction = 'apply' | 'ignore' | 'gap';

/**
 * Decides what to do with a live event, given the newest seq stored locally.
 * The next seq applies and a stored one is ignored. A gap means events in
 * between are missing and need a sync: the socket dropped them, or this
 * socket sent the read marker that took the missing seq.
 */
export function classifyLiveEvent(seq: number, lastSeq: number): LiveEventAction {
  if (seq <= lastSeq) return 'ignore';
  if (seq === lastSeq + 1) return 'apply';
  return 'gap';
}

/**
 * Returns whether to request another sync page. A page that claims more but
 * brings no event would make the client request the same page forever, so
 * such a page ends the sync.
 */
export function wantsNextPage(page: { hasMore: boolean; events: readonly unknown[] }): boolean {
  return page.hasMore && page.events.length > 0;
}
