// Bytes of the PWA that the first load needs: the module scripts, module
// preloads and stylesheets named by dist/web/index.html, gzipped at level 9
// as a CDN would serve them. Lazy chunks are not counted.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface WebAssetSizes {
  jsGzipBytes: number;
  cssGzipBytes: number;
}

export function measureWebAssets(webDir: string): WebAssetSizes | undefined {
  const indexFile = join(webDir, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const html = readFileSync(indexFile, 'utf8');

  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((match) => match[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((match) => match[1]!);
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((match) => match[1]!);

  const gzipSize = (path: string) => gzipSync(readFileSync(join(webDir, path)), { level: 9 }).byteLength;
  const sum = (paths: string[]) => [...new Set(paths)].reduce((total, path) => total + gzipSize(path), 0);
  return { jsGzipBytes: sum([...scripts, ...preloads]), cssGzipBytes: sum(styles) };
}
