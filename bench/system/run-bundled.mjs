// Bundles one TypeScript entry of the bench with esbuild and runs its
// exported `main(argv)` in this process, setting the exit code from its
// result. The bundle goes under node_modules/.cache so that its imports of
// installed packages (ws, playwright-core) resolve from the repository's
// node_modules.

import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Environment variable through which a bundled entry learns the repository root it was started from. */
export const BENCH_ROOT_VARIABLE = 'FEIGE_BENCH_ROOT';

/** Bundles `entry` (a path from the repository root) and runs it; `name` prefixes the bundle's file name. */
export async function runBundled(entry, name) {
  const outDir = join(root, 'node_modules', '.cache', 'feige-bench');
  const outFile = join(outDir, `${name}-${process.pid}.mjs`);

  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, entry)],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });

  // An exit handler also runs on Ctrl-C, where the bench ends the process with process.exit().
  process.on('exit', () => rmSync(outFile, { force: true }));
  // The bundle's own path does not name the checkout when node_modules is a
  // link into another one, so the entry reads the root from here.
  process.env[BENCH_ROOT_VARIABLE] = root;
  const { main } = await import(pathToFileURL(outFile).href);
  process.exitCode = await main(process.argv.slice(2));
}
