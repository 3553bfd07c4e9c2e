// Sign-up, sign-in and sign-out as the auth screens and settings call them.

import type { AuthResponse, RegisterRequest, SignInRequest } from '../../../protocol/api';
import type { ErrorDetails } from '../i18n/errors';
import { register, signIn, signOutCurrent, revokeSession } from '../net/api';
import { ApiError } from '../net/http';
import { validateDisplayName, validatePassword, validateUsername } from '../validation';
import { endSession, startAccount } from './account';
import { navigate } from './route';
import { saveSession, signOutNotice } from './session';

/** Validates the form with the server's limits, then registers and signs in. Returns the first problem found. */
export async function registerAccount(request: RegisterRequest): Promise<ErrorDetails | null> {
  const displayName = request.displayName.trim();
  const invalid =
    validateUsername(request.username) ?? validateDisplayName(displayName) ?? validatePassword(request.password);
  if (invalid) return invalid;

  return authenticate(() => register({ ...request, displayName }));
}

export async function signInAccount(request: SignInRequest): Promise<ErrorDetails | null> {
  return authenticate(() => signIn(request));
}

/** Revokes this device's session on the server, then signs out locally even when the server is unreachable. */
export async function signOut(): Promise<void> {
  try {
    await signOutCurrent();
  } catch (error) {
    console.warn('[auth] server sign-out failed; signing out locally', error);
  }
  endSession(null);
}

/** Signs out another session of the same account; for this device's session it signs out here too. */
export async function signOutSession(sessionId: string, current: boolean): Promise<void> {
  if (current) return signOut();
  await revokeSession(sessionId);
}

async function authenticate(call: () => Promise<AuthResponse>): Promise<ErrorDetails | null> {
  let auth: AuthResponse;
  try {
    auth = await call();
  } catch (error) {
    if (error instanceof ApiError) return error.details;
    throw error;
  }

  signOutNotice.value = null;
  const stored = saveSession(auth);
  navigate({ name: 'chats' }, { replace: true });
  await startAccount(stored);
  return null;
}
