import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The crypto library's tests run in Node 20, whose WebCrypto has X25519 and
// Ed25519; IndexedDB comes from fake-indexeddb.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // A string here stops Vite from resolving tsconfig.json files (and their
  // project references) for each transformed file; the library needs no
  // compiler option beyond these.
  esbuild: { tsconfigRaw: JSON.stringify({ compilerOptions: { target: 'ES2022', useDefineForClassFields: true } }) },
  test: {
    include: ['tests/crypto/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
