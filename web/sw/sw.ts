// The service worker: precaches the app shell so the PWA opens without a
// network, and serves it for navigations when the network fails. API calls
// and the WebSocket always go to the network. A new version waits until the
// page requests the takeover through the in-app "reload" prompt.

// A module, so that `self` can be redeclared with the service worker's type.
export {};
declare const self: ServiceWorkerGlobalScope;

/** Replaced at build time by web/build/precache-plugin.ts with the built files and their content hash. */
declare const FEIGE_PRECACHE: { version: string; urls: string[] };

const precache = FEIGE_PRECACHE;
const CACHE_PREFIX = 'feige-shell-';
const CACHE_NAME = CACHE_PREFIX + precache.version;
/** The app shell, index.html, precached under the URL that serves it. */
const SHELL_URL = '/';

/**
 * Time a navigation waits for the network before the cached shell is shown.
 * A stopped server fails at once; this bounds the wait on a link that
 * hangs, such as a captive portal or a dead mobile connection.
 */
const NAVIGATION_TIMEOUT_MS = 4_000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE_NAME).then((cache) => cache.addAll(precache.urls)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(removeOldCachesAndClaim());
});

self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;

  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/ws') return;

  if (request.mode === 'navigate') {
    event.respondWith(serveNavigation(request));
    return;
  }
  event.respondWith(serveStatic(request));
});

async function serveNavigation(request: Request): Promise<Response> {
  try {
    return await fetchWithTimeout(request, NAVIGATION_TIMEOUT_MS);
  } catch (error) {
    const shell = await caches.match(SHELL_URL, { cacheName: CACHE_NAME });
    if (shell) return shell;
    throw error;
  }
}

async function serveStatic(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE_NAME });
  return cached ?? fetch(request);
}

async function fetchWithTimeout(request: Request, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(request, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function removeOldCachesAndClaim(): Promise<void> {
  const names = await caches.keys();
  const stale = names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME);
  await Promise.all(stale.map((name) => caches.delete(name)));
  await self.clients.claim();
}

function isSkipWaitingMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'type' in data && data.type === 'skip-waiting';
}
