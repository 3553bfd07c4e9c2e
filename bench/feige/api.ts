// The HTTP calls a bench user makes, through the real API under /api/v1:
// register (which also signs in), register a device with real keys, set the
// message privacy, and claim a peer device's prekey bundle.

import * as z from 'zod/mini';
import { API_PREFIX, type RegisterRequest } from '../../protocol/api';
import {
  claimBundlesResponseSchema,
  registerDeviceResponseSchema,
  type ClaimBundlesRequest,
  type RegisterDeviceRequest,
} from '../../protocol/devices';
import type { UpdateSettingsRequest } from '../../protocol/relations';

const authResponseSchema = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), username: z.string() }),
});

export class ApiCallError extends Error {}

async function callApi(origin: string, method: string, path: string, token: string | undefined, body: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;

  const response = await fetch(`${origin}${API_PREFIX}${path}`, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new ApiCallError(`${method} ${API_PREFIX}${path} failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

function checked<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiCallError(`${what} returned an unexpected body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function registerAccount(origin: string, request: RegisterRequest): Promise<{ token: string; userId: string }> {
  const body = checked(authResponseSchema, await callApi(origin, 'POST', '/accounts', undefined, request), 'POST /accounts');
  return { token: body.token, userId: body.user.id };
}

export async function registerDevice(origin: string, token: string, request: RegisterDeviceRequest): Promise<string> {
  const body = await callApi(origin, 'POST', '/devices', token, request);
  return checked(registerDeviceResponseSchema, body, 'POST /devices').deviceId;
}

export async function updateSettings(origin: string, token: string, request: UpdateSettingsRequest): Promise<void> {
  await callApi(origin, 'PATCH', '/me/settings', token, request);
}

/** Claims the prekey bundle of one device of `userId`, as the PWA does before its first message to that device. */
export async function claimBundle(origin: string, token: string, userId: string, deviceId: string): Promise<unknown> {
  const request: ClaimBundlesRequest = { userIds: [userId], deviceIds: [deviceId] };
  const body = checked(claimBundlesResponseSchema, await callApi(origin, 'POST', '/devices/claim', token, request), 'POST /devices/claim');
  const device = body.users.find((user) => user.userId === userId)?.devices.find((entry) => entry.deviceId === deviceId);
  if (!device) throw new ApiCallError(`POST /devices/claim returned no bundle for device ${deviceId} of user ${userId}`);
  return device.bundle;
}
