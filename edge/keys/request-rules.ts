// Count limits of key directory requests. The schemas check each key's shape;
// these checks name the broken limit and the value, as ApiErrors.

import type { PublicPreKeyWire } from '../../protocol/envelope';
import {
  ENVELOPE_RECIPIENTS_MAX,
  ONE_TIME_PREKEYS_UPLOAD_MAX,
  PREKEY_CLAIM_USERS_MAX,
} from '../../protocol/limits';
import { ApiError } from '../http/api-error';

/**
 * Checks the one-time prekeys of one request: at most
 * ONE_TIME_PREKEYS_UPLOAD_MAX, at least one unless `allowEmpty`, and no id twice.
 */
export function checkPreKeyUpload(
  keys: readonly PublicPreKeyWire[],
  options: { allowEmpty: boolean },
): readonly PublicPreKeyWire[] {
  const field = 'oneTimePreKeys';
  if (keys.length > ONE_TIME_PREKEYS_UPLOAD_MAX) {
    throw new ApiError(
      400,
      'invalid_request',
      `${field} has ${keys.length} keys; one request carries at most ${ONE_TIME_PREKEYS_UPLOAD_MAX}.`,
      { field, limit: ONE_TIME_PREKEYS_UPLOAD_MAX, value: keys.length },
    );
  }
  if (keys.length === 0 && !options.allowEmpty) {
    throw new ApiError(400, 'invalid_request', `${field} is empty; upload 1 to ${ONE_TIME_PREKEYS_UPLOAD_MAX} keys.`, {
      field,
    });
  }

  const seen = new Set<number>();
  for (const key of keys) {
    if (seen.has(key.id)) {
      throw new ApiError(400, 'invalid_request', `${field} lists the key id ${key.id} twice.`, { field });
    }
    seen.add(key.id);
  }
  return keys;
}

/** Checks a claim: 1 to PREKEY_CLAIM_USERS_MAX user ids and at most ENVELOPE_RECIPIENTS_MAX device ids. */
export function checkClaimLists(userIds: readonly string[], deviceIds: readonly string[] | undefined): void {
  if (userIds.length === 0 || userIds.length > PREKEY_CLAIM_USERS_MAX) {
    throw new ApiError(
      400,
      'invalid_request',
      `userIds has ${userIds.length} entries; a claim names 1 to ${PREKEY_CLAIM_USERS_MAX} users.`,
      { field: 'userIds', limit: PREKEY_CLAIM_USERS_MAX, value: userIds.length },
    );
  }
  if (deviceIds !== undefined && deviceIds.length > ENVELOPE_RECIPIENTS_MAX) {
    throw new ApiError(
      400,
      'invalid_request',
      `deviceIds has ${deviceIds.length} entries; a claim names at most ${ENVELOPE_RECIPIENTS_MAX} devices, the devices of one envelope.`,
      { field: 'deviceIds', limit: ENVELOPE_RECIPIENTS_MAX, value: deviceIds.length },
    );
  }
}
