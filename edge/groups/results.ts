import { ApiError } from '../http/api-error';
import type { GroupResult } from '../objects/group-core';

/** Returns the value of a GroupDO result, or throws its failure as the matching HTTP error. */
export function unwrap<T>(result: GroupResult<T>): T {
  if (result.ok) return result.value;

  const { status, code, message, field, limit, value } = result.failure;
  const details = { ...(field !== undefined ? { field } : {}), ...(limit !== undefined ? { limit } : {}), ...(value !== undefined ? { value } : {}) };
  throw new ApiError(status, code, message, details);
}
