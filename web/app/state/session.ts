// The signed-in session, kept in localStorage under `feige.session` so a
// reload or a closed tab stays signed in. Local message data is kept in
// IndexedDB separately and survives sign-out.

import { signal } from '@preact/signals';
import * as z from 'zod/mini';
import type { AuthResponse } from '../../../protocol/api';
import type { ServerKickedFrame } from '../../../protocol/frames';

const SESSION_STORAGE_KEY = 'feige.session';

const storedSessionSchema = z.object({
  token: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
  sessionId: z.string(),
  username: z.string(),
});

export type StoredSession = z.infer<typeof storedSessionSchema>;

export const session = signal<StoredSession | null>(readStoredSession());

/** Reason the last session ended without the user signing out here, shown on the sign-in screen. */
export const signOutNotice = signal<ServerKickedFrame['reason'] | null>(null);

export function saveSession(auth: AuthResponse): StoredSession {
  const stored: StoredSession = {
    token: auth.token,
    userId: auth.user.id,
    sessionId: auth.session.id,
    username: auth.user.username,
  };
  localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(stored));
  session.value = stored;
  return stored;
}

export function clearSession(): void {
  localStorage.removeItem(SESSION_STORAGE_KEY);
  session.value = null;
}

/**
 * Calls `changed` when another tab of this origin signs in or out, so that
 * all tabs show the same account. The `storage` event fires only in the
 * other tabs, never in the one that wrote.
 */
export function watchOtherTabs(changed: (next: StoredSession | null) => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
    changed(readStoredSession());
  });
}

function readStoredSession(): StoredSession | null {
  let json: unknown;
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    if (raw === null) return null;
    json = JSON.parse(raw);
  } catch (error) {
    console.warn('[session] stored session is unreadable; signing out', error);
    return null;
  }

  const parsed = storedSessionSchema.safeParse(json);
  if (!parsed.success) {
    console.warn('[session] stored session failed its schema; signing out');
    return null;
  }
  return parsed.data;
}
