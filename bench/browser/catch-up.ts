// Catch-up in Chromium: a PWA user goes offline, a bench user sends it a
// backlog of encrypted 1:1 messages, and the PWA comes back online. The
// figures count from the reconnected socket's `open` event to the commit of
// the IndexedDB transaction that stores the backlog's last seq as lastSeq,
// and to the chat list showing the conversation with every message unread.

import type { Browser, CDPSession } from 'playwright-core';
import type { FeigeTarget } from '../targets/feige-target';
import { startProfile, stopProfile, type ProfileSummary } from './profiler';
import { registerInPwa, waitForConnection } from './pwa-user';

export interface CatchUpFigures {
  /** Socket open to the last seq committed in IndexedDB, in milliseconds. */
  storedMs: number;
  /** Socket open to the conversation shown in the chat list with the whole backlog unread, in milliseconds. */
  shownMs: number;
  profile?: ProfileSummary;
}

interface CatchUpMarks {
  opens: number[];
  lastSeq: number;
  lastSeqAt: number;
  shownAt?: number;
}

declare global {
  interface Window {
    __benchCatchUp?: CatchUpMarks;
  }
}

/**
 * Records, in the page, when each WebSocket opens and when a transaction that
 * puts `lastSeq` into the `meta` store commits. The app writes lastSeq with
 * the events of the same page in one transaction (rule R2), so that commit is
 * the moment the page is stored.
 */
const INSTRUMENT_SCRIPT = `(() => {
  const marks = { opens: [], lastSeq: 0, lastSeqAt: 0 };
  window.__benchCatchUp = marks;
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    const request = put.apply(this, arguments);
    if (this.name === 'meta' && key === 'lastSeq' && typeof value === 'number') {
      this.transaction.addEventListener('complete', () => {
        if (value <= marks.lastSeq) return;
        marks.lastSeq = value;
        marks.lastSeqAt = performance.now();
      });
    }
    return request;
  };
  const NativeWebSocket = WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => marks.opens.push(performance.now()));
    }
  };
})();`;

/** Records when the conversation's unread badge first reads `count`. */
function shownScript(conversationId: string, count: number): string {
  const selector = `[data-conversation-id="${conversationId}"] [data-testid=conversation-unread]`;
  return `(() => {
    const marks = window.__benchCatchUp;
    const check = () => {
      if (document.querySelector(${JSON.stringify(selector)})?.textContent !== ${JSON.stringify(String(count))}) return false;
      marks.shownAt = performance.now();
      return true;
    };
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

export async function measureBrowserCatchUp(
  feige: FeigeTarget,
  browser: Browser,
  count: number,
  timeoutMs: number,
  profile = false,
): Promise<CatchUpFigures | { skipped: string }> {
  const context = await browser.newContext({ baseURL: feige.origin });
  try {
    await context.addInitScript(INSTRUMENT_SCRIPT);
    const page = await context.newPage();
    const username = await registerInPwa(page, 'bc', timeoutMs);
    const before = await page.evaluate(() => window.__benchCatchUp!.lastSeq);

    await context.setOffline(true);
    await waitForConnection(page, 'offline', timeoutMs);
    const seeded = await feige.seedBrowserChat(username, count, timeoutMs);
    if ('skipped' in seeded) return seeded;

    const opensBefore = await page.evaluate(() => window.__benchCatchUp!.opens.length);
    await page.evaluate(shownScript(seeded.conversationId, count));
    const cdp: CDPSession | undefined = profile ? await context.newCDPSession(page) : undefined;
    if (cdp) await startProfile(cdp);

    await context.setOffline(false);
    const expected = before + count;
    await page.waitForFunction(
      (seq) => {
        const marks = window.__benchCatchUp!;
        return marks.lastSeq >= seq && marks.shownAt !== undefined;
      },
      expected,
      { timeout: timeoutMs, polling: 100 },
    );

    const summary = cdp ? await stopProfile(cdp, 20) : undefined;
    const marks = await page.evaluate(() => window.__benchCatchUp!);
    const openedAt = marks.opens[opensBefore];
    if (openedAt === undefined) throw new Error('the PWA stored the backlog without opening a new socket');
    return { storedMs: marks.lastSeqAt - openedAt, shownMs: marks.shownAt! - openedAt, profile: summary };
  } finally {
    await context.close();
  }
}
