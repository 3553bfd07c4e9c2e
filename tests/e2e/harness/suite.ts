import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, newClient, type Client, type ClientOptions } from './browser';
import { FAILURE_ARTIFACTS_DIR } from './paths';
import { startServer, type TestServer } from './server';

/** What a test file gets from useE2ESuite(): its own server and browser. */
export interface E2ESuite {
  readonly server: TestServer;
  /** Opens a browser context for this test; it is closed after the test. */
  newClient(name: string, options?: ClientOptions): Promise<Client>;
}

/**
 * Registers the hooks of one end-to-end test file: a `wrangler dev` server
 * and a Chromium for the whole file, fresh browser contexts per test. A test
 * fails when any of its pages threw an uncaught error. On failure the report
 * shows the server log tail and what each page logged and exchanged over
 * WebSocket, and screenshots plus HTML go to test-results/e2e/.
 */
export function useE2ESuite(): E2ESuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let clients: Client[] = [];
  let artifactNotes: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  beforeEach(({ onTestFailed }) => {
    clients = [];
    artifactNotes = [];
    onTestFailed(() => {
      console.error(failureReport(server, clients, artifactNotes));
    });
  });

  afterEach(async ({ task }) => {
    const finished = clients;
    const pageErrors = finished.flatMap((client) => client.log.pageErrors.map((error) => `${client.name}: ${error}`));

    if (task.result?.state === 'fail' || pageErrors.length > 0) {
      artifactNotes = await saveArtifacts(task.name, finished);
    }
    await Promise.all(finished.map((client) => client.close()));

    if (pageErrors.length > 0) {
      throw new Error(`Uncaught page errors:\n${pageErrors.join('\n')}`);
    }
  });

  return {
    get server() {
      if (server === undefined) throw new Error('The e2e server is not started: use it inside a test or hook');
      return server;
    },
    async newClient(name, options) {
      if (server === undefined || browser === undefined) {
        throw new Error('The e2e server and browser are not started: call newClient inside a test');
      }
      const client = await newClient(browser, server.url, name, options);
      clients.push(client);
      return client;
    },
  };
}

function failureReport(server: TestServer | undefined, clients: Client[], artifactNotes: string[]): string {
  const sections = [server?.logTail(80) ?? '(server not started)'];
  for (const client of clients) {
    sections.push(`=== browser context "${client.name}" ===\n${client.log.summary()}`);
  }
  if (artifactNotes.length > 0) sections.push(`Artifacts:\n${artifactNotes.join('\n')}`);
  return sections.join('\n\n');
}

/** Saves a screenshot and the HTML of every open page; returns one line per file or failure. */
async function saveArtifacts(testName: string, clients: Client[]): Promise<string[]> {
  const directory = join(FAILURE_ARTIFACTS_DIR, testName.replace(/[^A-Za-z0-9]+/g, '-'));
  mkdirSync(directory, { recursive: true });
  const notes: string[] = [];

  for (const client of clients) {
    for (const [index, page] of client.context.pages().entries()) {
      const base = join(directory, `${client.name}-page${index}`);
      try {
        await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
        writeFileSync(`${base}.html`, await page.content());
        notes.push(`  ${base}.png and .html (${page.url()})`);
      } catch (error) {
        notes.push(`  ${base}: could not capture (${String(error)})`);
      }
    }
  }
  return notes;
}
