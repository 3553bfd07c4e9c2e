// `node bench/idle-memory.mjs`: bundles bench/idle-memory.ts with esbuild and
// runs it in this process (see that file for what it measures).

import { runBundled } from './system/run-bundled.mjs';

await runBundled('bench/idle-memory.ts', 'idle-memory');
