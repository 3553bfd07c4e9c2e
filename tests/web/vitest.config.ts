import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests of the PWA's client logic (store, sync, reconnect, i18n) in
// Node 20. IndexedDB comes from fake-indexeddb; the socket is a fake object
// the tests drive. The real browser runs in tests/e2e.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // A string here stops Vite from resolving tsconfig.json files and their
  // project references for each transformed file.
  esbuild: { tsconfigRaw: JSON.stringify({ compilerOptions: { target: 'ES2022', useDefineForClassFields: true } }) },
  test: {
    include: ['tests/web/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
  },
});
