import * as z from 'zod/mini';
import { API_PREFIX } from '../../../protocol/api';
import { DESKTOP_USER_AGENT } from './browser';
import type { TestUser } from './users';

/** The parts of an AuthResponse the tests use; the schema checks them before use. */
const authResponseSchema = z.object({
  token: z.string().check(z.minLength(1)),
  session: z.object({ id: z.string(), deviceClass: z.enum(['phone', 'desktop']) }),
  user: z.object({ id: z.string(), username: z.string() }),
});

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export interface AuthSession {
  token: string;
  sessionId: string;
  deviceClass: 'phone' | 'desktop';
  userId: string;
  username: string;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

/** Sends one JSON request to the API under test and returns the status and the parsed body, if any. */
export async function apiRequest(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown; userAgent?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? DESKTOP_USER_AGENT };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  const response = await fetch(`${baseUrl}${API_PREFIX}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });

  const text = await response.text();
  if (text === '') return { status: response.status, body: undefined };
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`${method} ${API_PREFIX}${path} returned ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Registers `user` over HTTP from Node, for peers that need no browser. */
export async function registerViaApi(baseUrl: string, user: TestUser): Promise<AuthSession> {
  const result = await apiRequest(baseUrl, 'POST', '/accounts', { body: user });
  if (result.status !== 201) {
    throw new Error(
      `POST ${API_PREFIX}/accounts for ${user.username} returned ${result.status}: ${JSON.stringify(result.body)}`,
    );
  }
  return parseAuthResponse(result.body);
}

/** Checks a register or sign-in response body and keeps what the tests need. */
export function parseAuthResponse(body: unknown): AuthSession {
  const parsed = authResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`Invalid AuthResponse ${JSON.stringify(body)}: ${parsed.error.message}`);
  }
  return {
    token: parsed.data.token,
    sessionId: parsed.data.session.id,
    deviceClass: parsed.data.session.deviceClass,
    userId: parsed.data.user.id,
    username: parsed.data.user.username,
  };
}

/** Returns the `error.code` of an API error body, or undefined when the body has no error envelope. */
export function errorCodeOf(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}
