// `npm run bench`: bundles the TypeScript bench (bench/main.ts, which imports
// protocol/ and web/app/crypto/) with esbuild, then runs it in this process.

import { runBundled } from './system/run-bundled.mjs';

await runBundled('bench/main.ts', 'main');
