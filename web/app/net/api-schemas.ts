// Schemas for the JSON bodies the edge returns. protocol/api.ts declares
// these shapes as interfaces; each schema is typed against its interface so
// the two cannot drift apart silently.

import * as z from 'zod/mini';
import type { AuthResponse, OwnProfile, PublicProfile, SessionInfo, SessionListResponse } from '../../../protocol/api';
import { ERROR_CODES, type ErrorBody } from '../../../protocol/errors';
import { genderSchema } from '../../../protocol/relations';

/** Exported for the profile views of relations-schemas.ts, which add counts and relation flags. */
export const publicProfileShape = {
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  gender: z.optional(genderSchema),
  region: z.optional(z.string()),
  avatarUrl: z.optional(z.string()),
};

export const publicProfileSchema: z.ZodMiniType<PublicProfile> = z.object(publicProfileShape);

export const ownProfileSchema: z.ZodMiniType<OwnProfile> = z.object({
  ...publicProfileShape,
  createdAt: z.number(),
});

const sessionInfoSchema: z.ZodMiniType<SessionInfo> = z.object({
  id: z.string(),
  deviceClass: z.enum(['phone', 'desktop']),
  userAgent: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  current: z.boolean(),
});

export const authResponseSchema: z.ZodMiniType<AuthResponse> = z.object({
  token: z.string().check(z.minLength(1)),
  session: sessionInfoSchema,
  user: ownProfileSchema,
});

export const sessionListResponseSchema: z.ZodMiniType<SessionListResponse> = z.object({
  sessions: z.array(sessionInfoSchema),
});

export const errorBodySchema: z.ZodMiniType<ErrorBody> = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    field: z.optional(z.string()),
    limit: z.optional(z.number()),
    value: z.optional(z.number()),
  }),
});
