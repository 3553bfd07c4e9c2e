// The PWA in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core): load to interactive, cold and warm, under 4x CPU
// throttling, and the time to open a seeded chat and show its last 50
// messages. "Interactive" means the sign-in form is rendered with its submit
// button enabled. The time is the page's performance.now() at that moment, so
// it counts from the start of navigation.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FeigeTarget } from '../targets/feige-target';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CPU_THROTTLING_RATE = 4;
/** Messages seeded into the chat; the figure waits for the 50th element. */
const RENDERED_MESSAGES = 50;

/** Returns why the browser rows cannot run, or undefined when they can. */
export function browserUnavailable(webDir: string): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `skipped — ${CHROMIUM_PATH} missing (apt-get install -y chromium)`;
  if (!existsSync(join(webDir, 'index.html'))) return 'skipped — dist/web missing (npx vite build)';
  return undefined;
}

/** Records, in the page, the performance.now() at which `selector` first matches `count` elements that are enabled. */
function observerScript(selector: string, count: number, key: string): string {
  return `(() => {
    const check = () => {
      const found = document.querySelectorAll(${JSON.stringify(selector)});
      if (found.length < ${count} || found[${count - 1}].disabled) return false;
      window[${JSON.stringify(key)}] = performance.now();
      return true;
    };
    const start = () => {
      if (check()) return;
      const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
      observer.observe(document, { childList: true, subtree: true, attributes: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  })();`;
}

export interface BrowserFigures {
  figures: Record<string, number>;
  /** Rows that could not be measured, with the reason. */
  skipped: Record<string, string>;
}

export async function measureBrowser(feige: FeigeTarget, timeoutMs: number): Promise<BrowserFigures> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: timeoutMs });
  try {
    const context = await browser.newContext({ baseURL: feige.origin });
    await context.addInitScript(observerScript('[data-testid=signin-submit]', 1, '__benchInteractiveAt'));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING_RATE });

    const readInteractive = async () => {
      await page.waitForFunction(() => (window as unknown as Record<string, number>).__benchInteractiveAt !== undefined, undefined, {
        timeout: timeoutMs,
      });
      return page.evaluate(() => (window as unknown as Record<string, number>).__benchInteractiveAt!);
    };

    await page.goto('/signin', { timeout: timeoutMs });
    const cold = await readInteractive();
    // Warm means the service worker controls the page and the HTTP cache contains the assets.
    await page.evaluate(async () => {
      await navigator.serviceWorker?.ready;
    });
    await page.goto('/signin', { timeout: timeoutMs });
    const warm = await readInteractive();
    await context.close();

    const figures: Record<string, number> = { 'browser.cold': cold, 'browser.warm': warm };
    const lastFifty = await measureLastFifty(feige, browser, timeoutMs);
    if (typeof lastFifty === 'number') return { figures: { ...figures, 'browser.last50': lastFifty }, skipped: {} };
    return { figures, skipped: { 'browser.last50': `skipped — ${lastFifty.skipped}` } };
  } finally {
    await browser.close();
  }
}

type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;

/**
 * Registers a user in the PWA, has a bench user send it RENDERED_MESSAGES
 * encrypted messages to its device, waits until the chat list shows them,
 * then clicks the chat and returns the time until the 50th message element
 * appeared. Returns a reason instead when the PWA has registered no device to
 * encrypt for.
 */
async function measureLastFifty(feige: FeigeTarget, browser: Browser, timeoutMs: number): Promise<number | { skipped: string }> {
  const context = await browser.newContext({ baseURL: feige.origin });
  try {
    const page = await context.newPage();
    const username = `br${Date.now().toString(36)}`;
    await page.goto('/register', { timeout: timeoutMs });
    await page.getByTestId('register-username').fill(username);
    await page.getByTestId('register-displayname').fill(username);
    await page.getByTestId('register-password').fill('bench-password-0123');
    await page.getByTestId('register-submit').click();
    await page.getByTestId('connection-state').and(page.locator('[data-state=online]')).waitFor({ timeout: timeoutMs });

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

    await page.evaluate(observerScript('[data-testid=message]', RENDERED_MESSAGES, '__benchMessagesAt'));
    // The click happens inside the page, so no driver round trip sits between the start time and the click.
    const clickedAt = await page.evaluate((id) => {
      const started = performance.now();
      document.querySelector<HTMLElement>(`[data-testid=conversation-item][data-conversation-id="${id}"]`)!.click();
      return started;
    }, seeded.conversationId);
    await page.waitForFunction(() => (window as unknown as Record<string, number>).__benchMessagesAt !== undefined, undefined, {
      timeout: timeoutMs,
    });
    const shownAt = await page.evaluate(() => (window as unknown as Record<string, number>).__benchMessagesAt!);
    return shownAt - clickedAt;
  } finally {
    await context.close();
  }
}
