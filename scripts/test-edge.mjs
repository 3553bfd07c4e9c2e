// `npm run test:edge`: runs the Worker and Durable Object tests in batches
// of a few files, each batch in a fresh workerd. With `singleWorker`,
// @cloudflare/vitest-pool-workers 0.12 wraps objects in one more Proxy on
// every SELF.fetch and Durable Object construction, so a single long run
// slows down test by test until it times out. Arguments pass to vitest.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const FILES_PER_BATCH = 5;
const testRoot = 'tests/edge';

function listTestFiles(folder) {
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...listTestFiles(path));
    else if (entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files.sort();
}

const extraArguments = process.argv.slice(2);
const files = listTestFiles(testRoot);
const failedBatches = [];

for (let start = 0; start < files.length; start += FILES_PER_BATCH) {
  const batch = files.slice(start, start + FILES_PER_BATCH);
  const names = batch.map((file) => relative(testRoot, file)).join(', ');
  console.log(`[test:edge] batch ${start / FILES_PER_BATCH + 1}: ${names}`);

  // Vitest treats each filter as part of a path, so a batch may also run a file
  // whose name ends the same way (unit/client-frames for frames); that only repeats it.
  const filters = batch.map((file) => resolve(file));
  const result = spawnSync('npx', ['vitest', 'run', '--config', `${testRoot}/vitest.config.ts`, ...extraArguments, ...filters], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failedBatches.push(names);
}

if (failedBatches.length > 0) {
  console.error(`[test:edge] failed batches:\n  ${failedBatches.join('\n  ')}`);
  process.exit(1);
}
console.log(`[test:edge] all ${files.length} test files passed`);
