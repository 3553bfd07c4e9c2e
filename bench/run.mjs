// `npm run bench`: bundles the TypeScript bench (bench/main.ts, which imports
// protocol/ and web/app/crypto/) with esbuild, then runs it in this process.
// The bundle goes under node_modules/.cache so that its imports of installed
// packages (ws, playwright-core) resolve from the repository's node_modules.

import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'feige-bench');
const outFile = join(outDir, `main-${process.pid}.mjs`);

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [join(root, 'bench', 'main.ts')],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

// An exit handler also runs on Ctrl-C, where main.ts ends the process with process.exit().
process.on('exit', () => rmSync(outFile, { force: true }));
const { main } = await import(pathToFileURL(outFile).href);
process.exitCode = await main(process.argv.slice(2));
