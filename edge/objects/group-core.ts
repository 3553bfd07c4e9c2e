// What every group operation shares: the stores of one GroupDO, the result
// type its RPC methods return, and the recording of a change in the log and
// the fan-out queue. Operations run synchronously against SQLite, so each one
// is atomic with respect to every other call of the object.

import type { ErrorCode } from '../../protocol/errors';
import type { GroupChange, GroupRole } from '../../protocol/groups';
import type { GroupApplications } from './group-applications';
import type { GroupLog } from './group-log';
import type { GroupQueue } from './group-queue';
import type { GroupSettings, GroupState, MemberRecord } from './group-state';

export interface GroupCore {
  state: GroupState;
  log: GroupLog;
  queue: GroupQueue;
  applications: GroupApplications;
}

/** A rejected call, with the HTTP status of the Worker's response. */
export interface GroupFailure {
  status: 400 | 403 | 404 | 409;
  code: ErrorCode;
  message: string;
  field?: string;
  limit?: number;
  value?: number;
}

/** RPC results are values, not thrown errors, because only an error's message crosses the RPC boundary. */
export type GroupResult<T> = { ok: true; value: T } | { ok: false; failure: GroupFailure };

export function success<T>(value: T): GroupResult<T> {
  return { ok: true, value };
}

export function failure<T>(status: GroupFailure['status'], code: ErrorCode, message: string, details: Partial<GroupFailure> = {}): GroupResult<T> {
  return { ok: false, failure: { status, code, message, ...details } };
}

export function forbidden<T>(message: string): GroupResult<T> {
  return failure(403, 'forbidden', message);
}

export function notAMember<T>(): GroupResult<T> {
  return failure(403, 'not_a_member', 'You are not a member of this group.');
}

/** Returns the settings of a group that exists and is not dissolved. */
export function liveSettings(core: GroupCore): GroupResult<GroupSettings> {
  const settings = core.state.settings();
  if (!settings || settings.dissolvedAt !== null) return failure(404, 'not_found', 'The group was not found or was dissolved.');
  return success(settings);
}

/** Returns the caller's member record and the settings, or why the caller cannot act. */
export function requireMember(core: GroupCore, userId: string): GroupResult<{ settings: GroupSettings; me: MemberRecord }> {
  const settings = liveSettings(core);
  if (!settings.ok) return settings;

  const me = core.state.member(userId);
  if (!me) return notAMember();
  return success({ settings: settings.value, me });
}

export function isAdmin(role: GroupRole): boolean {
  return role === 'owner' || role === 'admin';
}

export interface RecordOptions {
  /** Users notified besides the members who see the log: a removed member, or a new member of a `pull` group. */
  notify?: string[];
}

/**
 * Appends a change to the group log and queues it for the members' inboxes.
 * In an `inbox` group every member who joined by then gets it; in a `pull`
 * group members read it with `group.sync`, and only `notify` gets an inbox event.
 */
export function recordChange(core: GroupCore, settings: GroupSettings, change: GroupChange, ts: number, options: RecordOptions = {}): number {
  const groupSeq = core.log.appendChange(change, ts);
  const event = { kind: 'group' as const, groupId: settings.id, groupSeq, change };

  if (settings.delivery === 'inbox') core.queue.enqueue({ type: 'members', visibleSeq: groupSeq }, event);
  const others = (options.notify ?? []).filter((userId) => settings.delivery === 'pull' || !core.state.member(userId));
  core.queue.enqueue({ type: 'users', userIds: others }, event);
  return groupSeq;
}

/** Queues a change that stays out of the group log (applications and their results) for `userIds`. */
export function notifyPrivately(core: GroupCore, settings: GroupSettings, change: GroupChange, userIds: string[]): void {
  core.queue.enqueue({ type: 'users', userIds }, { kind: 'group', groupId: settings.id, change });
}

/**
 * Adds a member and records their `joined` change. The member's join seq is
 * the seq of that change, so they see it and nothing before it (unless the
 * group shows earlier history).
 */
export function addMember(core: GroupCore, settings: GroupSettings, userId: string, by: string | undefined, ts: number): GroupResult<void> {
  if (core.state.member(userId)) return failure(409, 'already_member', 'The user is already a member of this group.');

  const count = core.state.memberCount();
  if (count >= settings.memberLimit) {
    return failure(409, 'group_full', `The group has ${count} members, its limit of ${settings.memberLimit}.`, {
      limit: settings.memberLimit,
      value: count + 1,
    });
  }

  const change: GroupChange = { type: 'joined', userId, delivery: settings.delivery, ...(by ? { by } : {}) };
  const groupSeq = core.log.appendChange(change, ts);
  core.state.addMember(userId, 'member', groupSeq, ts);

  const event = { kind: 'group' as const, groupId: settings.id, groupSeq, change };
  if (settings.delivery === 'inbox') core.queue.enqueue({ type: 'members', visibleSeq: groupSeq }, event);
  else core.queue.enqueue({ type: 'users', userIds: [userId] }, event);
  return success(undefined);
}
