// Opening a chat in Chromium: the time from a click on a conversation in the
// chat list to its 50th message element existing, and to the end of the
// frame after that, with the messages already stored in IndexedDB.

import type { Browser, CDPSession } from 'playwright-core';
import type { FeigeTarget } from '../targets/feige-target';
import { startProfile, stopProfile, type ProfileSummary } from './profiler';
import { summariseTrace, TRACE_CATEGORIES, type TraceSummary } from './trace-summary';
import { registerInPwa } from './pwa-user';

/** Messages seeded into the chat; the figure waits for the 50th element. */
export const RENDERED_MESSAGES = 50;

/** Maximum wait for an idle period of the page before the click, in milliseconds. */
const IDLE_TIMEOUT_MS = 2_000;

export interface LastFiftyFigures {
  /** Click to the 50th message element in the DOM. */
  shownMs: number;
  /** Click to the end of the first frame after that, so the layout and paint of the messages are counted. */
  frameMs: number;
  /** Message elements in the chat view when it first appeared: RENDERED_MESSAGES when its first render had them all. */
  firstRenderMessages: number;
  profile?: ProfileSummary;
  trace?: TraceSummary;
}

export interface LastFiftyOptions {
  /** Record a Chromium trace of the main thread from the click to the frame after. */
  trace?: boolean;
  /** Save a PNG of the page here after the frame, to compare how two builds show the chat. */
  screenshotPath?: string;
  /** Conversations of one message each, from other users, seeded first, so the chat list contains as many more rows. */
  otherChats?: number;
}

interface RenderMarks {
  firstRenderMessages?: number;
  shownAt?: number;
  frameAt?: number;
}

declare global {
  interface Window {
    __benchRender?: RenderMarks;
  }
}

/** User Timing marks around the measured part, which a trace uses to find it. */
const CLICK_MARK = 'bench-last-fifty-click';
const SHOWN_MARK = 'bench-last-fifty-shown';
const FRAME_MARK = 'bench-last-fifty-frame';

/**
 * Records when the 50th message element exists, and when the frame after it
 * has run: a message posted from requestAnimationFrame is delivered after
 * that frame's style, layout and paint.
 */
const RENDER_SCRIPT = `(() => {
  const marks = {};
  window.__benchRender = marks;
  const check = () => {
    const count = document.querySelectorAll('[data-testid=message]').length;
    if (marks.firstRenderMessages === undefined && document.querySelector('[data-testid=chat-view]')) marks.firstRenderMessages = count;
    if (count < ${RENDERED_MESSAGES}) return false;
    marks.shownAt = performance.now();
    performance.mark('${SHOWN_MARK}');
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks.frameAt = performance.now();
        performance.mark('${FRAME_MARK}');
      };
      channel.port2.postMessage(null);
    });
    return true;
  };
  if (check()) return;
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/**
 * Registers a user in the PWA, has a bench user send it RENDERED_MESSAGES
 * encrypted messages to its device, waits until the chat list shows them and
 * the page is idle, then clicks the chat and returns the time until the 50th message element
 * appeared. With `profile` it records Chromium's CPU profile of that time;
 * `options` adds a trace or a screenshot. Returns a reason instead when the PWA
 * has registered no device to encrypt for.
 */
export async function measureLastFifty(
  feige: FeigeTarget,
  browser: Browser,
  timeoutMs: number,
  profile = false,
  options: LastFiftyOptions = {},
): Promise<LastFiftyFigures | { skipped: string }> {
  const context = await browser.newContext({ baseURL: feige.origin });
  try {
    const page = await context.newPage();
    const username = await registerInPwa(page, 'br', timeoutMs);
    for (let other = 0; other < (options.otherChats ?? 0); other++) {
      const seededOther = await feige.seedBrowserChat(username, 1, timeoutMs);
      if ('skipped' in seededOther) return seededOther;
    }

    const seeded = await feige.seedBrowserChat(username, RENDERED_MESSAGES, timeoutMs);
    if ('skipped' in seeded) return seeded;

    const item = page.locator(`[data-testid=conversation-item][data-conversation-id="${seeded.conversationId}"]`);
    await item.waitFor({ timeout: timeoutMs });
    await page.waitForFunction(
      ({ id, count }) =>
        document.querySelector(`[data-conversation-id="${id}"] [data-testid=conversation-unread]`)?.textContent === String(count),
      { id: seeded.conversationId, count: RENDERED_MESSAGES },
      { timeout: timeoutMs },
    );

    // A person clicks some time after the last message arrived, not within the
    // same few milliseconds, so the click waits until the page has finished
    // storing the messages and is idle, or for IDLE_TIMEOUT_MS at most.
    await page.evaluate(
      (timeout) => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout })),
      IDLE_TIMEOUT_MS,
    );
    await page.evaluate(RENDER_SCRIPT);
    const cdp: CDPSession | undefined = profile ? await context.newCDPSession(page) : undefined;
    if (cdp) await startProfile(cdp);
    if (options.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });

    // The click happens inside the page, so no driver round trip sits between the start time and the click.
    const clickedAt = await page.evaluate(({ id, click }) => {
      performance.mark(click);
      const started = performance.now();
      document.querySelector<HTMLElement>(`[data-testid=conversation-item][data-conversation-id="${id}"]`)!.click();
      return started;
    }, { id: seeded.conversationId, click: CLICK_MARK });
    await page.waitForFunction(() => window.__benchRender?.frameAt !== undefined, undefined, { timeout: timeoutMs });

    const summary = cdp ? await stopProfile(cdp, 20) : undefined;
    const traced = options.trace ? summariseTrace(await browser.stopTracing(), CLICK_MARK, FRAME_MARK, SHOWN_MARK) : undefined;
    const marks = await page.evaluate(() => window.__benchRender!);
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath });
    return {
      shownMs: marks.shownAt! - clickedAt,
      frameMs: marks.frameAt! - clickedAt,
      firstRenderMessages: marks.firstRenderMessages ?? 0,
      profile: summary,
      trace: traced,
    };
  } finally {
    await context.close();
  }
}
