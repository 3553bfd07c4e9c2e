import { REGION_MAX_CHARS, countChars } from '../../protocol/limits';
import { ApiError } from '../http/api-error';

/** C0 and C1 control characters (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Returns the region trimmed; an empty region clears it. */
export function checkRegion(region: string): string {
  const trimmed = region.trim();
  const length = countChars(trimmed);
  if (length > REGION_MAX_CHARS) {
    throw new ApiError(400, 'region_too_long', `Region has ${length} characters; the maximum is ${REGION_MAX_CHARS}.`, {
      field: 'region',
      limit: REGION_MAX_CHARS,
      value: length,
    });
  }
  if (CONTROL_CHARACTER.test(trimmed)) {
    throw new ApiError(400, 'invalid_request', 'Region contains a control character.', { field: 'region' });
  }
  return trimmed;
}
