// Vite plugin that writes the service worker's precache list into sw.js:
// every emitted file of the build (index.html, JS and CSS chunks, including
// lazy ones) plus every file of the public folder, and a version hash of
// their contents. A changed file changes sw.js, which makes browsers install
// the new version.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

/** The free identifier web/sw/sw.ts reads; the plugin replaces it with a JSON object literal. */
const PLACEHOLDER = 'FEIGE_PRECACHE';

export const SERVICE_WORKER_FILE = 'sw.js';

export function precacheManifest(): Plugin {
  let config: ResolvedConfig;

  return {
    name: 'feige-precache-manifest',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_output, bundle) {
      const worker = bundle[SERVICE_WORKER_FILE];
      if (!worker || worker.type !== 'chunk') {
        this.error(`${SERVICE_WORKER_FILE} is missing from the bundle; check build.rollupOptions.input`);
      }

      const files = new Map<string, string | Uint8Array>();
      for (const [fileName, output] of Object.entries(bundle)) {
        if (fileName === SERVICE_WORKER_FILE || fileName.endsWith('.map')) continue;
        files.set(fileName, output.type === 'chunk' ? output.code : output.source);
      }
      for (const fileName of listFiles(config.publicDir)) {
        files.set(fileName, readFileSync(join(config.publicDir, fileName)));
      }

      const fileNames = [...files.keys()].sort();
      const hash = createHash('sha256');
      for (const fileName of fileNames) hash.update(fileName).update(files.get(fileName) ?? '');
      const urls = fileNames.map(urlOf);
      const manifest = JSON.stringify({ version: hash.digest('hex').slice(0, 16), urls });

      const occurrences = worker.code.split(PLACEHOLDER).length - 1;
      if (occurrences !== 1) {
        this.error(`expected ${PLACEHOLDER} once in ${SERVICE_WORKER_FILE}, found it ${occurrences} times`);
      }
      worker.code = worker.code.replace(PLACEHOLDER, manifest);
    },
  };
}

/**
 * The URL the worker caches a file under. The shell is cached as `/`:
 * Workers static assets redirect `/index.html` to `/`, and a navigation may
 * not be answered with a redirected response.
 */
function urlOf(fileName: string): string {
  return fileName === 'index.html' ? '/' : `/${fileName}`;
}

/** Paths of all files under `dir`, relative to it and with forward slashes; none when it does not exist. */
function listFiles(dir: string): string[] {
  if (!dir) return [];

  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}
