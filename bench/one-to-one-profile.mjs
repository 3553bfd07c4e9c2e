// Bundles bench/one-to-one-profile.ts with esbuild, as bench/run.mjs does for
// the whole bench, and runs it in this process.

import { runBundled } from './system/run-bundled.mjs';

await runBundled('bench/one-to-one-profile.ts', 'one-to-one-profile');
