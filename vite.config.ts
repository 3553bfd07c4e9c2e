// Builds the PWA from web/ into dist/web, which wrangler serves as static
// assets. The service worker is its own entry, emitted as /sw.js so that its
// scope is the whole site.

import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { precacheManifest, SERVICE_WORKER_FILE } from './web/build/precache-plugin';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));

/** `wrangler dev`'s default address; `vite` (dev server) forwards API and socket traffic there. */
const EDGE_DEV_ORIGIN = 'http://127.0.0.1:8787';

export default defineConfig({
  root: webRoot,
  plugins: [preact(), precacheManifest()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: `${webRoot}/index.html`,
        sw: `${webRoot}/sw/sw.ts`,
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? SERVICE_WORKER_FILE : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': EDGE_DEV_ORIGIN,
      '/ws': { target: EDGE_DEV_ORIGIN, ws: true },
    },
  },
});
