// `npm run bench:crypto`: encrypts a 1 KiB text for 1, 5 and 50 devices and
// decrypts it on each, in headless Chromium, and prints a Markdown table.
// The page is served from 127.0.0.1 (WebCrypto needs a secure context).

import { build } from 'esbuild';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const DEVICE_COUNTS = [1, 5, 50];
const REPETITIONS = Number(process.env.BENCH_CRYPTO_REPETITIONS ?? 9);
const CHROMIUM_PATH = '/usr/bin/chromium';

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2022',
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;

const server = createServer((request, response) => {
  if (request.url === '/bench.js') {
    response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><script src="/bench.js"></script>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const rows = await page.evaluate(
    ([counts, repetitions]) => window.runCryptoBench(counts, repetitions),
    [DEVICE_COUNTS, REPETITIONS],
  );

  console.log(`Chromium ${browser.version()}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, load ${loadavg()[0].toFixed(2)}, median of ${REPETITIONS}`);
  console.log('');
  console.log('| devices | envelopes | encrypt (ms) | decrypt on every device (ms) | decrypt per device (ms) | wire bytes |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const perDevice = row.decryptAllMs / row.devices;
    console.log(
      `| ${row.devices} | ${row.envelopes} | ${row.encryptMs.toFixed(2)} | ${row.decryptAllMs.toFixed(2)} | ${perDevice.toFixed(2)} | ${row.envelopeBytes} |`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
