// Bundles bench/browser/profile-main.ts with esbuild, as bench/run.mjs does
// for the whole bench, and runs it in this process.

import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'node_modules', '.cache', 'feige-bench');
const outFile = join(outDir, `browser-profile-${process.pid}.mjs`);

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [join(root, 'bench', 'browser', 'profile-main.ts')],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

process.on('exit', () => rmSync(outFile, { force: true }));
const { main } = await import(pathToFileURL(outFile).href);
process.exitCode = await main(process.argv.slice(2));
