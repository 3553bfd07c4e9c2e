// Client-side checks of the relation and profile limits the edge enforces
// (protocol/limits.ts). Each returns the error the server would send, or null.

import { FRIEND_REQUEST_MESSAGE_MAX_CHARS, REGION_MAX_CHARS, countChars } from '../../protocol/limits';
import type { ErrorDetails } from './i18n/errors';

/** Expects the trimmed message; an empty one is allowed. */
export function validateRequestMessage(message: string): ErrorDetails | null {
  const length = countChars(message);
  if (length > FRIEND_REQUEST_MESSAGE_MAX_CHARS) {
    return { code: 'request_message_too_long', field: 'message', limit: FRIEND_REQUEST_MESSAGE_MAX_CHARS, value: length };
  }
  return null;
}

/** Expects the trimmed region; an empty one clears it. */
export function validateRegion(region: string): ErrorDetails | null {
  const length = countChars(region);
  if (length > REGION_MAX_CHARS) return { code: 'region_too_long', field: 'region', limit: REGION_MAX_CHARS, value: length };
  return null;
}
