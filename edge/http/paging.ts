// Query parameters of paged lists: `limit` (a page size with a default and a
// maximum) and `cursor` (an opaque token from the previous page's
// `nextCursor`). Failures are 400 `invalid_request` naming the parameter.

import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { decodeBase64url, encodeBase64url } from '../auth/base64url';
import { validate } from '../validation';
import { ApiError } from './api-error';

/** Reads `limit`: absent means `defaultLimit`; otherwise a whole number from 1 to `maxLimit`. */
export function readPageLimit(c: Context, defaultLimit: number, maxLimit: number): number {
  const raw = c.req.query('limit');
  if (raw === undefined) return defaultLimit;

  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new ApiError(400, 'invalid_request', `limit must be a whole number from 1 to ${maxLimit}, got ${JSON.stringify(raw)}.`, {
      field: 'limit',
      limit: maxLimit,
    });
  }
  if (value > maxLimit) {
    throw new ApiError(400, 'invalid_request', `limit is ${value}; the maximum is ${maxLimit}.`, {
      field: 'limit',
      limit: maxLimit,
      value,
    });
  }
  return value;
}

/** Encodes a page position as base64url JSON. Clients treat it as opaque. */
export function encodeCursor(position: unknown): string {
  return encodeBase64url(new TextEncoder().encode(JSON.stringify(position)));
}

/** Reads `cursor`: undefined when absent, the checked position otherwise. */
export function readCursor<T>(c: Context, schema: z.ZodMiniType<T>): T | undefined {
  const raw = c.req.query('cursor');
  if (raw === undefined || raw === '') return undefined;

  const position = validate(schema, parseCursor(raw));
  if (!position.ok) throw invalidCursor();
  return position.value;
}

function parseCursor(raw: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(decodeBase64url(raw)));
  } catch {
    throw invalidCursor();
  }
}

function invalidCursor(): ApiError {
  return new ApiError(400, 'invalid_request', 'cursor is not one this server returned; start again without it.', {
    field: 'cursor',
  });
}
