// Opening a chat in Chromium: the time from a click on a conversation in the
// chat list to its 50th message element existing, and to the end of the
// frame after that, with the messages already stored in IndexedDB.

import type { Browser, CDPSession } from 'playwright-core';
import type { FeigeTarget } from '../targets/feige-target';
import { startProfile, stopProfile, type ProfileSummary } from './profiler';
import { registerInPwa } from './pwa-user';

/** Messages seeded into the chat; the figure waits for the 50th element. */
export const RENDERED_MESSAGES = 50;

export interface LastFiftyFigures {
  /** Click to the 50th message element in the DOM. */
  shownMs: number;
  /** Click to the end of the first frame after that, so the layout and paint of the messages are counted. */
  frameMs: number;
  profile?: ProfileSummary;
}

interface RenderMarks {
  shownAt?: number;
  frameAt?: number;
}

declare global {
  interface Window {
    __benchRender?: RenderMarks;
  }
}

/**
 * Records when the 50th message element exists, and when the frame after it
 * has run: a message posted from requestAnimationFrame is delivered after
 * that frame's style, layout and paint.
 */
const RENDER_SCRIPT = `(() => {
  const marks = {};
  window.__benchRender = marks;
  const check = () => {
    if (document.querySelectorAll('[data-testid=message]').length < ${RENDERED_MESSAGES}) return false;
    marks.shownAt = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { marks.frameAt = performance.now(); };
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
 * encrypted messages to its device, waits until the chat list shows them,
 * then clicks the chat and returns the time until the 50th message element
 * appeared. Returns a reason instead when the PWA has registered no device to
 * encrypt for.
 */
export async function measureLastFifty(
  feige: FeigeTarget,
  browser: Browser,
  timeoutMs: number,
  profile = false,
): Promise<LastFiftyFigures | { skipped: string }> {
  const context = await browser.newContext({ baseURL: feige.origin });
  try {
    const page = await context.newPage();
    const username = await registerInPwa(page, 'br', timeoutMs);

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

    await page.evaluate(RENDER_SCRIPT);
    const cdp: CDPSession | undefined = profile ? await context.newCDPSession(page) : undefined;
    if (cdp) await startProfile(cdp);

    // The click happens inside the page, so no driver round trip sits between the start time and the click.
    const clickedAt = await page.evaluate((id) => {
      const started = performance.now();
      document.querySelector<HTMLElement>(`[data-testid=conversation-item][data-conversation-id="${id}"]`)!.click();
      return started;
    }, seeded.conversationId);
    await page.waitForFunction(() => window.__benchRender?.frameAt !== undefined, undefined, { timeout: timeoutMs });

    const summary = cdp ? await stopProfile(cdp, 20) : undefined;
    const marks = await page.evaluate(() => window.__benchRender!);
    return { shownMs: marks.shownAt! - clickedAt, frameMs: marks.frameAt! - clickedAt, profile: summary };
  } finally {
    await context.close();
  }
}
