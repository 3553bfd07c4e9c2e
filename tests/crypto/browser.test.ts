// Runs the library in the system Chromium, on real IndexedDB and the Web
// Locks API, which Node 20 lacks. The page comes from a server on 127.0.0.1
// (a secure context, as WebCrypto requires); Chromium reaches no other host.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../web/app/crypto/bytes';
import { safetyNumber } from '../../web/app/crypto/safety-number';
import { BASE64_INVALID_TEXTS, BASE64_SAMPLE_LENGTHS, base64Sample } from './browser/base64-cases';
import type { BrowserRunResult } from './browser/entry';
import { hex } from './helpers';

const CHROMIUM_PATH = '/usr/bin/chromium';
const ENTRY = fileURLToPath(new URL('./browser/entry.ts', import.meta.url));
const ALICE_KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const BOB_KEY = hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');

/** Bundles browser/entry.ts into one script with Vite, in memory. */
async function bundleEntry(): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'error',
    esbuild: { tsconfigRaw: JSON.stringify({ compilerOptions: { target: 'ES2022', useDefineForClassFields: true } }) },
    build: {
      write: false,
      minify: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'cryptoBrowserTest', fileName: () => 'crypto.js' },
    },
  })) as Rollup.RollupOutput[];
  const chunk = output[0]!.output.find((file): file is Rollup.OutputChunk => file.type === 'chunk');
  if (!chunk) throw new Error('vite produced no script chunk for the browser entry');
  return chunk.code;
}

function serve(script: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/crypto.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><script src="/crypto.js"></script>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('crypto in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let result: BrowserRunResult;

  beforeAll(async () => {
    server = await serve(await bundleEntry());
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const keys: [string, string] = [toBase64Url(ALICE_KEY), toBase64Url(BOB_KEY)];
    result = await page.evaluate((signingKeys) => window.runCryptoInBrowser(signingKeys), keys);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('page has the Web Locks API', () => {
    expect(result.hasWebLocks).toBe(true);
  });

  it('conversation decrypts both ways', () => {
    expect(result.conversation).toEqual(['a0 你好', 'b0', 'a1']);
  });

  it('locked concurrent encrypts stay distinct', () => {
    expect(new Set(result.concurrentMessageNumbers).size).toBe(8);
    expect(result.concurrentTexts).toEqual(Array.from({ length: 8 }, (_, i) => `tab${i % 2}-${i}`));
  });

  it('stored private key is non-extractable', () => {
    expect(result.storedPrivateKeyExtractable).toBe(false);
  });

  it('safety number matches Node', async () => {
    const inNode = await safetyNumber(
      { userId: 'u-alice', identityKeys: [ALICE_KEY] },
      { userId: 'u-bob', identityKeys: [BOB_KEY] },
    );
    expect(result.safetyNumber).toBe(inNode);
  });

  it('native base64url matches Node', () => {
    const inNode = Array.from({ length: BASE64_SAMPLE_LENGTHS }, (_, length) => toBase64Url(base64Sample(length)));

    expect(result.base64.nativeMethods).toBe(true);
    expect(result.base64.encodings).toEqual(inNode);
    expect(result.base64.roundTrips.every(Boolean)).toBe(true);
  });

  it('native base64url rejects non-canonical text', () => {
    expect(result.base64.rejections).toEqual(BASE64_INVALID_TEXTS.map(() => 'SyntaxError'));
  });
});
