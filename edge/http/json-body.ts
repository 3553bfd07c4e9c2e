import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { validate } from '../validation';
import { ApiError } from './api-error';

/** Reads the request body as JSON and validates it; failures are 400 `invalid_request` naming the field. */
export async function readJsonBody<T>(c: Context, schema: z.ZodMiniType<T>): Promise<T> {
  const text = await c.req.text();

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_request', 'Request body is not valid JSON.');
  }

  const result = validate(schema, json);
  if (!result.ok) {
    throw new ApiError(400, 'invalid_request', `Invalid request body: ${result.message}`, { field: result.field });
  }
  return result.value;
}
