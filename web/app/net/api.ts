// The /api/v1 routes the PWA calls, one function each.

import type {
  AuthResponse,
  OwnProfile,
  PublicProfile,
  RegisterRequest,
  SessionInfo,
  SignInRequest,
  UpdateProfileRequest,
} from '../../../protocol/api';
import {
  authResponseSchema,
  ownProfileSchema,
  publicProfileSchema,
  sessionListResponseSchema,
} from './api-schemas';
import { requestApi } from './http';

export function register(request: RegisterRequest): Promise<AuthResponse> {
  return requestApi('POST', '/accounts', authResponseSchema, request);
}

export function signIn(request: SignInRequest): Promise<AuthResponse> {
  return requestApi('POST', '/sessions', authResponseSchema, request);
}

export async function listSessions(): Promise<SessionInfo[]> {
  const { sessions } = await requestApi('GET', '/sessions', sessionListResponseSchema);
  return sessions;
}

export function signOutCurrent(): Promise<undefined> {
  return requestApi('DELETE', '/sessions/current', null);
}

export function revokeSession(sessionId: string): Promise<undefined> {
  return requestApi('DELETE', `/sessions/${encodeURIComponent(sessionId)}`, null);
}

export function getOwnProfile(): Promise<OwnProfile> {
  return requestApi('GET', '/me', ownProfileSchema);
}

export function updateOwnProfile(request: UpdateProfileRequest): Promise<OwnProfile> {
  return requestApi('PATCH', '/me', ownProfileSchema, request);
}

export function getUser(userId: string): Promise<PublicProfile> {
  return requestApi('GET', `/users/${encodeURIComponent(userId)}`, publicProfileSchema);
}

export function getUserByUsername(username: string): Promise<PublicProfile> {
  return requestApi('GET', `/users/by-username/${encodeURIComponent(username)}`, publicProfileSchema);
}
