// Service worker registration and the in-app update prompt. A new version
// installs in the background and then waits. It takes over only when the
// user accepts the prompt, so an open chat is never reloaded unasked.

import { signal } from '@preact/signals';

/** The installed, waiting worker of a newer version, or null. */
export const waitingWorker = signal<ServiceWorker | null>(null);

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;

  let registration: ServiceWorkerRegistration;
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch (error) {
    console.warn('[sw] registration failed; the app works without offline start', error);
    return;
  }

  if (registration.waiting && navigator.serviceWorker.controller) waitingWorker.value = registration.waiting;
  registration.addEventListener('updatefound', () => watchInstalling(registration));

  // The first install also changes the controller (the worker claims open
  // pages); only a change the user asked for reloads the page.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!updateRequested || reloading) return;
    reloading = true;
    location.reload();
  });
}

let updateRequested = false;
let reloading = false;

/** Lets the waiting worker take over; the page reloads on `controllerchange`. */
export function applyUpdate(): void {
  const waiting = waitingWorker.value;
  if (!waiting) return;

  updateRequested = true;
  waiting.postMessage({ type: 'skip-waiting' });
}

function watchInstalling(registration: ServiceWorkerRegistration): void {
  const installing = registration.installing;
  if (!installing) return;

  installing.addEventListener('statechange', () => {
    // Without a controller this is the first install, not an update.
    if (installing.state === 'installed' && navigator.serviceWorker.controller) {
      waitingWorker.value = installing;
    }
  });
}
