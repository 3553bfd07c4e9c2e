// JSON over HTTPS to /api/v1. Every response body is schema-checked; every
// failure becomes an ApiError whose details the i18n layer can describe.

import type * as z from 'zod/mini';
import { API_PREFIX } from '../../../protocol/api';
import type { ErrorDetails } from '../i18n/errors';
import { errorBodySchema } from './api-schemas';

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    readonly details: ErrorDetails,
  ) {
    super(`API request failed with ${details.code} (HTTP ${status})`);
    this.name = 'ApiError';
  }
}

interface ApiConfig {
  token(): string | null;
  /** Called when the server refused the token of a signed-in request. */
  onUnauthorized(): void;
}

let config: ApiConfig = { token: () => null, onUnauthorized: () => undefined };

export function configureApi(next: ApiConfig): void {
  config = next;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Sends a request and returns the checked body, or undefined for a schema-less call (204 responses). */
export async function requestApi<T>(method: Method, path: string, schema: z.ZodMiniType<T>, body?: unknown): Promise<T>;
export async function requestApi(method: Method, path: string, schema: null, body?: unknown): Promise<undefined>;
export async function requestApi<T>(
  method: Method,
  path: string,
  schema: z.ZodMiniType<T> | null,
  body?: unknown,
): Promise<T | undefined> {
  const token = config.token();
  const headers: Record<string, string> = { Accept: 'application/json' };
  // A Blob (an image upload) goes out as raw bytes with its own type; anything else as JSON.
  if (body instanceof Blob) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(API_PREFIX + path, {
      method,
      headers,
      body: body === undefined || body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch (error) {
    console.warn('[api] request failed without a response', { method, path, error });
    throw new ApiError(0, { code: 'network' });
  }

  if (!response.ok) throw await errorFrom(response, token !== null);
  if (schema === null) return undefined;

  const parsed = schema.safeParse(await readJson(response));
  if (!parsed.success) {
    console.warn('[api] response failed its schema', { method, path, issues: parsed.error.issues });
    throw new ApiError(response.status, { code: 'bad_response' });
  }
  return parsed.data;
}

async function errorFrom(response: Response, sentToken: boolean): Promise<ApiError> {
  const parsed = errorBodySchema.safeParse(await readJson(response));
  if (!parsed.success) {
    console.warn('[api] error response without the error envelope', { status: response.status });
    const code = response.status >= 500 ? 'internal' : 'bad_response';
    return new ApiError(response.status, { code });
  }

  const { code, limit, value, field } = parsed.data.error;
  if (code === 'unauthorized' && sentToken) config.onUnauthorized();
  return new ApiError(response.status, { code, limit, value, field });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
