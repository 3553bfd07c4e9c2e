// D1 access to the key directory: the `devices` and `one_time_prekeys` tables
// (edge/db/schema.ts). These statements run as plain SQL on the D1 binding,
// because the capped inserts and the claim need INSERT … SELECT, DELETE …
// RETURNING over subqueries and json_each(), and the batches need one result
// shape. Every value is a bound parameter; lists travel as one JSON parameter,
// which also keeps each statement under D1's limit of 100 bound parameters.

import * as z from 'zod/mini';
import type { IdentityKeysWire, PublicPreKeyWire } from '../../protocol/envelope';

export interface DeviceRecord {
  id: string;
  userId: string;
  sessionId: string;
  identity: IdentityKeysWire;
  signedPreKey: PublicPreKeyWire;
  createdAt: number;
  updatedAt: number;
}

const deviceRowSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  session_id: z.string(),
  identity_signing_key: z.string(),
  identity_dh_key: z.string(),
  identity_dh_key_signature: z.string(),
  signed_prekey_id: z.number(),
  signed_prekey: z.string(),
  signed_prekey_signature: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
});

const preKeyRowSchema = z.object({
  device_id: z.string(),
  key_id: z.number(),
  public_key: z.string(),
  signature: z.string(),
});

const countRowSchema = z.object({ device_id: z.string(), remaining: z.number() });

const DEVICE_COLUMNS = `d.id, d.user_id, d.session_id, d.identity_signing_key, d.identity_dh_key,
  d.identity_dh_key_signature, d.signed_prekey_id, d.signed_prekey, d.signed_prekey_signature,
  d.created_at, d.updated_at`;

/**
 * Active devices of the users in the JSON array ?1: those whose session is
 * not revoked. Statements that use it bind the user id list as ?1.
 */
const ACTIVE_DEVICES_OF_USERS = `devices AS d JOIN sessions AS s ON s.id = d.session_id
  WHERE s.revoked_at IS NULL AND d.user_id IN (SELECT value FROM json_each(?1))`;

/**
 * Inserts the one-time prekeys in the JSON array ?2 for device ?1 unless the
 * device would then hold more than ?3. Keys whose id the device already has
 * are skipped and not counted, so a retried upload is harmless. One
 * statement, so two uploads at once cannot pass the cap together.
 */
const CAPPED_PREKEY_INSERT = `INSERT INTO one_time_prekeys (device_id, key_id, public_key, signature)
  SELECT ?1, json_extract(upload.value, '$.id'), json_extract(upload.value, '$.publicKey'),
         json_extract(upload.value, '$.signature')
  FROM json_each(?2) AS upload
  WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?1)
    AND (SELECT count(*) FROM one_time_prekeys WHERE device_id = ?1)
      + (SELECT count(*) FROM json_each(?2) AS fresh
         WHERE json_extract(fresh.value, '$.id') NOT IN (SELECT key_id FROM one_time_prekeys WHERE device_id = ?1))
      <= ?3
  ON CONFLICT DO NOTHING`;

const COUNT_PREKEYS = 'SELECT count(*) AS remaining FROM one_time_prekeys WHERE device_id = ?';

function toDeviceRecord(raw: unknown): DeviceRecord {
  const row = deviceRowSchema.parse(raw);
  return {
    id: row.id,
    userId: row.user_id,
    sessionId: row.session_id,
    identity: {
      signingKey: row.identity_signing_key,
      dhKey: row.identity_dh_key,
      dhKeySignature: row.identity_dh_key_signature,
    },
    signedPreKey: { id: row.signed_prekey_id, publicKey: row.signed_prekey, signature: row.signed_prekey_signature },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function remainingOf(raw: unknown): number {
  return z.object({ remaining: z.number() }).parse(raw).remaining;
}

export async function findDevice(d1: D1Database, deviceId: string): Promise<DeviceRecord | undefined> {
  const row = await d1.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices AS d WHERE d.id = ?`).bind(deviceId).first();
  return row ? toDeviceRecord(row) : undefined;
}

/** Returns the device registered with this session, whether or not the session is still active. */
export async function findDeviceOfSession(d1: D1Database, sessionId: string): Promise<DeviceRecord | undefined> {
  const row = await d1
    .prepare(`SELECT ${DEVICE_COLUMNS} FROM devices AS d WHERE d.session_id = ?`)
    .bind(sessionId)
    .first();
  return row ? toDeviceRecord(row) : undefined;
}

/** Returns the active devices of these users, oldest first. */
export async function listActiveDevices(d1: D1Database, userIds: readonly string[]): Promise<DeviceRecord[]> {
  const { results } = await d1
    .prepare(`SELECT ${DEVICE_COLUMNS} FROM ${ACTIVE_DEVICES_OF_USERS} ORDER BY d.created_at, d.rowid`)
    .bind(JSON.stringify(userIds))
    .all();
  return results.map(toDeviceRecord);
}

export async function countOneTimePreKeys(d1: D1Database, deviceId: string): Promise<number> {
  const row = await d1.prepare(COUNT_PREKEYS).bind(deviceId).first();
  return remainingOf(row);
}

export interface NewDevice {
  id: string;
  userId: string;
  sessionId: string;
  identity: IdentityKeysWire;
  signedPreKey: PublicPreKeyWire;
  oneTimePreKeys: readonly PublicPreKeyWire[];
  maxPreKeys: number;
  now: number;
}

export type RegisterOutcome = { ok: true; oneTimePreKeyCount: number } | { ok: false; activeDevices: number };

/**
 * Registers a device for its session. A device registered before with the
 * same session is replaced, because the browser lost its keys. When the user
 * would have more than `maxDevices`, the least recently refreshed devices
 * whose session is revoked are removed first. If the user's signed-in
 * devices alone fill the cap, nothing is written.
 */
export async function registerDevice(d1: D1Database, device: NewDevice, maxDevices: number): Promise<RegisterOutcome> {
  const counts = z.object({ total: z.number(), active: z.nullable(z.number()) }).parse(
    await d1
      .prepare(
        `SELECT count(*) AS total, sum(s.revoked_at IS NULL) AS active
         FROM devices AS d JOIN sessions AS s ON s.id = d.session_id
         WHERE d.user_id = ? AND d.session_id <> ?`,
      )
      .bind(device.userId, device.sessionId)
      .first(),
  );
  const active = counts.active ?? 0;
  if (active >= maxDevices) return { ok: false, activeDevices: active };

  const surplus = Math.max(0, counts.total - (maxDevices - 1));
  const results = await d1.batch([
    d1.prepare('DELETE FROM devices WHERE session_id = ?').bind(device.sessionId),
    d1
      .prepare(
        `DELETE FROM devices WHERE id IN (
           SELECT d.id FROM devices AS d JOIN sessions AS s ON s.id = d.session_id
           WHERE d.user_id = ? AND s.revoked_at IS NOT NULL
           ORDER BY d.updated_at, d.rowid LIMIT ?)`,
      )
      .bind(device.userId, surplus),
    d1
      .prepare(
        `INSERT INTO devices (id, user_id, session_id, identity_signing_key, identity_dh_key,
           identity_dh_key_signature, signed_prekey_id, signed_prekey, signed_prekey_signature, created_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10
         WHERE (SELECT count(*) FROM devices WHERE user_id = ?2) < ?11
         RETURNING id`,
      )
      .bind(
        device.id,
        device.userId,
        device.sessionId,
        device.identity.signingKey,
        device.identity.dhKey,
        device.identity.dhKeySignature,
        device.signedPreKey.id,
        device.signedPreKey.publicKey,
        device.signedPreKey.signature,
        device.now,
        maxDevices,
      ),
    d1.prepare(CAPPED_PREKEY_INSERT).bind(device.id, JSON.stringify(device.oneTimePreKeys), device.maxPreKeys),
    d1.prepare(COUNT_PREKEYS).bind(device.id),
  ]);

  if (results[2]!.results.length === 0) return { ok: false, activeDevices: active };
  return { ok: true, oneTimePreKeyCount: remainingOf(results[4]!.results[0]) };
}

export interface DeviceRefresh {
  deviceId: string;
  sessionId: string;
  signedPreKey: PublicPreKeyWire;
  oneTimePreKeys: readonly PublicPreKeyWire[];
  maxPreKeys: number;
  now: number;
}

/**
 * Binds an existing device to the caller's session, which makes it active
 * again, and stores its current signed prekey and any new one-time prekeys
 * within `maxPreKeys`. Another device bound to the same session is removed.
 * Returns the device's one-time prekey count afterwards.
 */
export async function refreshDevice(d1: D1Database, refresh: DeviceRefresh): Promise<number> {
  const results = await d1.batch([
    d1.prepare('DELETE FROM devices WHERE session_id = ? AND id <> ?').bind(refresh.sessionId, refresh.deviceId),
    d1
      .prepare(
        `UPDATE devices SET session_id = ?, signed_prekey_id = ?, signed_prekey = ?, signed_prekey_signature = ?,
           updated_at = ?
         WHERE id = ?`,
      )
      .bind(
        refresh.sessionId,
        refresh.signedPreKey.id,
        refresh.signedPreKey.publicKey,
        refresh.signedPreKey.signature,
        refresh.now,
        refresh.deviceId,
      ),
    d1
      .prepare(CAPPED_PREKEY_INSERT)
      .bind(refresh.deviceId, JSON.stringify(refresh.oneTimePreKeys), refresh.maxPreKeys),
    d1.prepare(COUNT_PREKEYS).bind(refresh.deviceId),
  ]);
  return remainingOf(results[3]!.results[0]);
}

export type UploadOutcome = { ok: true; count: number } | { ok: false; count: number; wouldHold: number };

/**
 * Adds one-time prekeys to a device unless it would then have more than
 * `maxPreKeys`. Ids the device already has are skipped.
 */
export async function addOneTimePreKeys(
  d1: D1Database,
  deviceId: string,
  keys: readonly PublicPreKeyWire[],
  maxPreKeys: number,
): Promise<UploadOutcome> {
  const ids = JSON.stringify(keys.map((key) => key.id));
  const [insert, countRow, fresh] = await d1.batch([
    d1.prepare(CAPPED_PREKEY_INSERT).bind(deviceId, JSON.stringify(keys), maxPreKeys),
    d1.prepare(COUNT_PREKEYS).bind(deviceId),
    d1
      .prepare(
        `SELECT count(*) AS remaining FROM json_each(?2)
         WHERE value NOT IN (SELECT key_id FROM one_time_prekeys WHERE device_id = ?1)`,
      )
      .bind(deviceId, ids),
  ]);

  const count = remainingOf(countRow!.results[0]);
  const inserted = insert!.meta.changes;
  const notYetStored = remainingOf(fresh!.results[0]);
  if (inserted === 0 && notYetStored > 0) return { ok: false, count, wouldHold: count + notYetStored };
  return { ok: true, count };
}

export interface ClaimRequest {
  userIds: readonly string[];
  /** Only these devices, when given. */
  deviceIds: readonly string[] | undefined;
  /** The caller's own device, which is never handed out. */
  callerDeviceId: string;
}

export interface ClaimedBundle {
  device: DeviceRecord;
  oneTimePreKey: PublicPreKeyWire | undefined;
  /** One-time prekeys the device has left after this claim. */
  remaining: number;
}

/**
 * Hands out a bundle for every matching active device, each with at most one
 * one-time prekey. The batch runs as one D1 transaction, and the key is
 * deleted by the same statement that returns it, so no two claims ever get
 * the same key.
 */
export async function claimBundles(d1: D1Database, request: ClaimRequest): Promise<ClaimedBundle[]> {
  const filter = `AND d.id <> ?2 AND (?3 IS NULL OR d.id IN (SELECT value FROM json_each(?3)))`;
  const bind = [
    JSON.stringify(request.userIds),
    request.callerDeviceId,
    request.deviceIds === undefined ? null : JSON.stringify(request.deviceIds),
  ];

  const [deviceRows, claimedRows, countRows] = await d1.batch([
    d1
      .prepare(`SELECT ${DEVICE_COLUMNS} FROM ${ACTIVE_DEVICES_OF_USERS} ${filter} ORDER BY d.created_at, d.rowid`)
      .bind(...bind),
    d1
      .prepare(
        `DELETE FROM one_time_prekeys WHERE rowid IN (
           SELECT (SELECT o.rowid FROM one_time_prekeys AS o WHERE o.device_id = d.id ORDER BY o.key_id LIMIT 1)
           FROM ${ACTIVE_DEVICES_OF_USERS} ${filter})
         RETURNING device_id, key_id, public_key, signature`,
      )
      .bind(...bind),
    d1
      .prepare(
        `SELECT d.id AS device_id, (SELECT count(*) FROM one_time_prekeys AS o WHERE o.device_id = d.id) AS remaining
         FROM ${ACTIVE_DEVICES_OF_USERS} ${filter}`,
      )
      .bind(...bind),
  ]);

  const claimed = new Map(
    claimedRows!.results.map((raw) => {
      const row = preKeyRowSchema.parse(raw);
      return [row.device_id, { id: row.key_id, publicKey: row.public_key, signature: row.signature }] as const;
    }),
  );
  const remaining = new Map(
    countRows!.results.map((raw) => {
      const row = countRowSchema.parse(raw);
      return [row.device_id, row.remaining] as const;
    }),
  );

  return deviceRows!.results.map((raw) => {
    const device = toDeviceRecord(raw);
    return { device, oneTimePreKey: claimed.get(device.id), remaining: remaining.get(device.id) ?? 0 };
  });
}
