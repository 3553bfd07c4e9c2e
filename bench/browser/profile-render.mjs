// Bundles bench/browser/profile-render-main.ts with esbuild, as bench/run.mjs
// does for the whole bench, and runs it in this process.

import { runBundled } from '../system/run-bundled.mjs';

await runBundled('bench/browser/profile-render-main.ts', 'browser-profile-render');
