// The one error type that routes throw; `onError` turns it into the
// {"error": {...}} envelope with its HTTP status.

import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '../../protocol/errors';

export interface ErrorDetails {
  field?: string;
  limit?: number;
  value?: number;
}

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'unauthorized', 'The session token is missing, unknown or revoked; sign in again.');
}

export function notFound(resource: string): ApiError {
  return new ApiError(404, 'not_found', `${resource} was not found.`);
}
