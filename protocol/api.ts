// Request and response bodies of the HTTPS JSON API under /api/v1.
// Request schemas are enforced on the edge; docs/protocol.md lists the routes.

import * as z from 'zod/mini';
import {
  BIO_MAX_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from './limits';
import { genderSchema, type Gender, type ProfileCounts, type ProfileRelation } from './relations';

export const API_PREFIX = '/api/v1';

export type DeviceClass = 'phone' | 'desktop';

/** POST /api/v1/accounts. Limits are checked by the handler so that errors name them. */
export const registerRequestSchema = z.object({
  username: z.string(),
  password: z.string(),
  displayName: z.string(),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

/** POST /api/v1/sessions */
export const signInRequestSchema = z.object({
  username: z.string(),
  password: z.string(),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

/** PATCH /api/v1/me: only the fields present change; `gender: null` clears the gender. */
export const updateProfileRequestSchema = z.object({
  displayName: z.optional(z.string()),
  bio: z.optional(z.string()),
  gender: z.optional(z.nullable(genderSchema)),
  region: z.optional(z.string()),
});
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

/** What anyone signed in may see of a user. The optional fields are absent when unset. */
export interface PublicProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  gender?: Gender;
  region?: string;
  /** Path of the avatar image under this origin. */
  avatarUrl?: string;
}

/**
 * GET /api/v1/users/:id and /users/by-username/:username. A user who blocked
 * the viewer shows only id, username, display name and an empty bio, with no
 * counts and every relation flag false.
 */
export interface UserProfileView extends PublicProfile {
  counts?: ProfileCounts;
  relation: ProfileRelation;
}

/** The signed-in user's own profile. */
export interface OwnProfile extends PublicProfile {
  createdAt: number;
}

export interface SessionInfo {
  id: string;
  deviceClass: DeviceClass;
  userAgent: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/** Response to register and sign-in. The token is shown once, and the server stores only its hash. */
export interface AuthResponse {
  token: string;
  session: SessionInfo;
  user: OwnProfile;
}

export interface SessionListResponse {
  sessions: SessionInfo[];
}

/** Limits the PWA shows next to the inputs; the same constants the edge enforces. */
export const ACCOUNT_LIMITS = {
  usernameMin: USERNAME_MIN_LENGTH,
  usernameMax: USERNAME_MAX_LENGTH,
  passwordMin: PASSWORD_MIN_LENGTH,
  passwordMax: PASSWORD_MAX_LENGTH,
  displayNameMax: DISPLAY_NAME_MAX_CHARS,
  bioMax: BIO_MAX_CHARS,
} as const;
