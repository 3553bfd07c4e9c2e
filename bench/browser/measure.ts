// The PWA in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core): load to interactive, cold and warm, under 4x CPU
// throttling, the time to open a seeded chat and show its last 50
// messages, and the catch-up of a backlog into IndexedDB. "Interactive"
// means the sign-in form is rendered with its submit button enabled. The time
// is the page's performance.now() at that moment, so it counts from the start
// of navigation.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FeigeTarget } from '../targets/feige-target';
import { measureBrowserCatchUp } from './catch-up';
import { measureLastFifty } from './last-fifty';
import { observerScript } from './observer';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CPU_THROTTLING_RATE = 4;

/** Returns why the browser rows cannot run, or undefined when they can. */
export function browserUnavailable(webDir: string): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `skipped — ${CHROMIUM_PATH} missing (apt-get install -y chromium)`;
  if (!existsSync(join(webDir, 'index.html'))) return 'skipped — dist/web missing (npx vite build)';
  return undefined;
}

export interface BrowserFigures {
  figures: Record<string, number>;
  /** Rows that could not be measured, with the reason. */
  skipped: Record<string, string>;
}

/** Measures every browser row; `backlogMessages` is the size of the catch-up into IndexedDB. */
export async function measureBrowser(feige: FeigeTarget, backlogMessages: number, timeoutMs: number): Promise<BrowserFigures> {
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
    const skipped: Record<string, string> = {};
    const lastFifty = await measureLastFifty(feige, browser, timeoutMs);
    if ('skipped' in lastFifty) {
      skipped['browser.last50'] = `skipped — ${lastFifty.skipped}`;
      skipped['browser.last50.frame'] = `skipped — ${lastFifty.skipped}`;
      skipped['browser.last50.first'] = `skipped — ${lastFifty.skipped}`;
    }
    else {
      figures['browser.last50'] = lastFifty.shownMs;
      figures['browser.last50.frame'] = lastFifty.frameMs;
      figures['browser.last50.first'] = lastFifty.firstRenderMessages;
    }

    const catchUp = await measureBrowserCatchUp(feige, browser, backlogMessages, timeoutMs);
    if ('skipped' in catchUp) {
      skipped['browser.catchup.stored'] = `skipped — ${catchUp.skipped}`;
      skipped['browser.catchup.shown'] = `skipped — ${catchUp.skipped}`;
    } else {
      figures['browser.catchup.stored'] = catchUp.storedMs;
      figures['browser.catchup.shown'] = catchUp.shownMs;
    }
    return { figures, skipped };
  } finally {
    await browser.close();
  }
}
