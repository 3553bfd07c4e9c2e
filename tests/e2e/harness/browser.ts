import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type LaunchOptions,
  type Page,
} from 'playwright-core';
import { PageLog } from './page-log';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export type DeviceKind = 'desktop' | 'phone';
export type BrowserLocale = 'en-US' | 'zh-CN';

/** A desktop Chrome on Linux: the edge classifies it as `desktop`. */
export const DESKTOP_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** Chrome on an Android phone: matches /Mobi|Android/i, so the edge classifies it as `phone`. */
export const PHONE_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

/** One browser context (one device with its own storage) and the page the test drives. */
export interface Client {
  name: string;
  context: BrowserContext;
  page: Page;
  log: PageLog;
  /** Closes the context, and for a persistent profile its browser and profile directory. */
  close(): Promise<void>;
}

export interface ClientOptions {
  device?: DeviceKind;
  locale?: BrowserLocale;
  /**
   * Runs the client in its own Chromium on an on-disk profile. Contexts made by
   * browser.newContext() are off-the-record, and Chromium never offers to
   * install a PWA there (installability error `in-incognito`).
   */
  persistentProfile?: boolean;
}

const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Launches the system Chromium headless, with background traffic to other hosts turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH_OPTIONS);
}

/** Opens a fresh context for `baseUrl` with a desktop or phone profile and one watched page. */
export async function newClient(
  browser: Browser,
  baseUrl: string,
  name: string,
  options: ClientOptions = {},
): Promise<Client> {
  const contextOptions = contextOptionsFor(baseUrl, options);
  const log = new PageLog();

  if (options.persistentProfile === true) {
    const profileDir = mkdtempSync(join(tmpdir(), 'feige-e2e-profile-'));
    const context = await chromium.launchPersistentContext(profileDir, { ...LAUNCH_OPTIONS, ...contextOptions });
    for (const page of context.pages()) log.attach(page);
    context.on('page', (page) => log.attach(page));
    const page = context.pages()[0] ?? (await context.newPage());

    const close = async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    };
    return { name, context, page, log, close };
  }

  const context = await browser.newContext(contextOptions);
  context.on('page', (page) => log.attach(page));
  const page = await context.newPage();
  return { name, context, page, log, close: () => context.close() };
}

function contextOptionsFor(baseUrl: string, options: ClientOptions): BrowserContextOptions {
  const phone = options.device === 'phone';
  return {
    baseURL: baseUrl,
    locale: options.locale ?? 'en-US',
    userAgent: phone ? PHONE_USER_AGENT : DESKTOP_USER_AGENT,
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    isMobile: phone,
    hasTouch: phone,
    serviceWorkers: 'allow',
  };
}
