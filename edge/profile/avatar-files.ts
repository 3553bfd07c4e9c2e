// Avatar objects in R2, for users and for groups: reading an upload, serving
// an object and deleting a replaced one. The PWA crops and scales the picture;
// the server checks the type by content and the size, and never trusts a
// declared Content-Type.

import { AVATAR_MAX_BYTES } from '../../protocol/limits';
import { ApiError, notFound } from '../http/api-error';
import { readLimitedBody } from '../http/limited-body';
import type { Logger } from '../log';
import { detectImageType, type AvatarContentType } from './image-type';

/** Ids in avatar paths are base64url, as `newId` makes them. */
export const AVATAR_PATH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Avatars change rarely and each upload gets a new URL, so browsers may keep
 * one for a year. `private` keeps shared caches from storing it.
 */
const AVATAR_CACHE_CONTROL = 'private, max-age=31536000, immutable';

export interface AvatarUpload {
  bytes: Uint8Array;
  contentType: AvatarContentType;
}

/** Reads a raw PNG, JPEG or WebP body of at most AVATAR_MAX_BYTES, and raises 413 or 415 otherwise. */
export async function readAvatarUpload(request: Request): Promise<AvatarUpload> {
  const bytes = await readLimitedBody(request, AVATAR_MAX_BYTES, 'image_too_large');
  const contentType = detectImageType(bytes);
  if (!contentType) {
    throw new ApiError(415, 'image_type_unsupported', 'The avatar must be a PNG, JPEG or WebP image; its bytes are none of these.');
  }
  return { bytes, contentType };
}

/** Returns the stored avatar under `key` with its type and cache headers, or raises 404. */
export async function avatarResponse(bucket: R2Bucket, key: string): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) throw notFound('This avatar');

  const headers = new Headers({
    'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
    'Content-Length': String(object.size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': AVATAR_CACHE_CONTROL,
    ETag: object.httpEtag,
  });
  return new Response(object.body, { headers });
}

/** Deletes a replaced or unreferenced avatar. A failure only leaves an unused object, so it is logged and not raised. */
export async function deleteAvatarObject(bucket: R2Bucket, log: Logger, key: string | null): Promise<void> {
  if (key === null) return;
  try {
    await bucket.delete(key);
  } catch (error) {
    log.error('deleting an avatar object failed', { avatarKey: key, error });
  }
}
