// Creating, describing and governing a group: info, settings, roles,
// ownership, dissolution and the member list. Each function runs
// synchronously inside one GroupDO call.

import type { GroupChange, GroupDelivery, GroupInfo, GroupInfoFields, GroupMember, JoinPolicy } from '../../protocol/groups';
import { GROUP_E2E_MEMBERS_MAX } from '../../protocol/limits';
import {
  failure,
  forbidden,
  isAdmin,
  liveSettings,
  recordChange,
  requireMember,
  success,
  type GroupCore,
  type GroupResult,
} from './group-core';
import type { GroupSettings, MemberPosition } from './group-state';

export interface CreateInput {
  groupId: string;
  ownerId: string;
  name: string;
  avatarKey: string | null;
  introduction: string;
  joinPolicy: JoinPolicy;
  memberLimit: number;
  membersCanInvite: boolean;
  historyVisible: boolean;
  delivery: GroupDelivery;
}

export function create(core: GroupCore, input: CreateInput, now: number): GroupResult<GroupInfo> {
  if (core.state.settings()) return failure(409, 'invalid_request', `A group with the id ${input.groupId} exists.`);

  const settings: GroupSettings = {
    id: input.groupId,
    name: input.name,
    avatarKey: input.avatarKey,
    introduction: input.introduction,
    notice: '',
    joinPolicy: input.joinPolicy,
    membersCanInvite: input.membersCanInvite,
    historyVisible: input.historyVisible,
    memberLimit: input.memberLimit,
    ownerId: input.ownerId,
    createdAt: now,
    delivery: input.delivery,
    dissolvedAt: null,
  };
  core.state.saveSettings(settings);

  const created: GroupChange = { type: 'created', by: input.ownerId, name: input.name };
  const createdSeq = core.log.appendChange(created, now);
  core.state.addMember(input.ownerId, 'owner', createdSeq, now);
  // The owner gets the `created` entry at its place in the group order, then
  // a `joined` event without a groupSeq: it carries the delivery mode (the
  // marker of a `pull` group) and is no entry of the log.
  const owner = { type: 'users' as const, userIds: [input.ownerId] };
  core.queue.enqueue(owner, { kind: 'group', groupId: settings.id, groupSeq: createdSeq, change: created });
  core.queue.enqueue(owner, {
    kind: 'group',
    groupId: settings.id,
    change: { type: 'joined', userId: input.ownerId, delivery: settings.delivery },
  });
  return success(toInfo(core, settings, 'owner'));
}

/** Anyone may read a live group's info; `myRole` is null for a non-member. */
export function info(core: GroupCore, userId: string): GroupResult<GroupInfo> {
  const settings = liveSettings(core);
  if (!settings.ok) return settings;
  const role = core.state.member(userId)?.role ?? null;
  const pending = role === null ? core.applications.pendingOf(userId) : undefined;
  return success(toInfo(core, settings.value, role, pending?.id ?? null));
}

/** Admins change the name, avatar, introduction, notice, join policy and the two member switches. */
export function update(core: GroupCore, userId: string, fields: GroupInfoFields, now: number): GroupResult<GroupInfo> {
  const caller = requireMember(core, userId);
  if (!caller.ok) return caller;
  const { settings, me } = caller.value;
  if (!isAdmin(me.role)) return forbidden('Only admins change group info.');

  const changed = changedFields(settings, fields);
  if (Object.keys(changed).length === 0) return success(toInfo(core, settings, me.role));

  const next: GroupSettings = { ...settings, ...changed };
  core.state.saveSettings(next);
  recordChange(core, next, { type: 'info_changed', by: userId, fields: changed }, now);
  return success(toInfo(core, next, me.role));
}

/** Makes a member an admin (`admin` true) or an admin a member again; owner only. */
export function setAdmin(core: GroupCore, ownerId: string, targetId: string, admin: boolean, now: number): GroupResult<void> {
  const caller = requireMember(core, ownerId);
  if (!caller.ok) return caller;
  if (caller.value.me.role !== 'owner') return forbidden('Only the owner appoints and removes admins.');

  const target = core.state.member(targetId);
  if (!target) return failure(404, 'not_found', 'The user is not a member of this group.');
  if (target.role === 'owner') return forbidden('The owner is not an admin to appoint or remove.');

  const role = admin ? 'admin' : 'member';
  if (target.role === role) return success(undefined);
  core.state.setRole(targetId, role);
  recordChange(core, caller.value.settings, { type: 'role_changed', userId: targetId, role, by: ownerId }, now, { notify: [targetId] });
  return success(undefined);
}

/** Hands ownership to another member; the former owner becomes an admin. Owner only. */
export function transferOwnership(core: GroupCore, ownerId: string, targetId: string, now: number): GroupResult<void> {
  const caller = requireMember(core, ownerId);
  if (!caller.ok) return caller;
  if (caller.value.me.role !== 'owner') return forbidden('Only the owner transfers ownership.');
  if (targetId === ownerId) return failure(400, 'invalid_request', 'You already own this group.', { field: 'userId' });
  if (!core.state.member(targetId)) return failure(404, 'not_found', 'The user is not a member of this group.');

  core.state.setRole(targetId, 'owner');
  core.state.setRole(ownerId, 'admin');
  const next: GroupSettings = { ...caller.value.settings, ownerId: targetId };
  core.state.saveSettings(next);
  recordChange(core, next, { type: 'owner_transferred', from: ownerId, to: targetId }, now, { notify: [targetId] });
  return success(undefined);
}

/**
 * Dissolves the group; owner only. Every member is removed at once, so no later
 * call or message is accepted, and each of them gets the `dissolved` change.
 * Returns the former members, for the D1 directory.
 */
export function dissolve(core: GroupCore, ownerId: string, now: number): GroupResult<string[]> {
  const caller = requireMember(core, ownerId);
  if (!caller.ok) return caller;
  if (caller.value.me.role !== 'owner') return forbidden('Only the owner dissolves the group.');

  const members = core.state.memberIds();
  const settings: GroupSettings = { ...caller.value.settings, dissolvedAt: now };
  core.queue.pinMemberAudiences((visibleSeq, afterJoinSeq) =>
    core.state.membersJoinedBy(visibleSeq, afterJoinSeq, members.length).map((member) => member.userId),
  );
  core.state.removeAllMembers();
  core.state.saveSettings(settings);

  const change = { type: 'dissolved' as const, by: ownerId };
  const groupSeq = core.log.appendChange(change, now);
  core.queue.enqueue({ type: 'users', userIds: members }, { kind: 'group', groupId: settings.id, groupSeq, change });
  return success(members);
}

export function memberPage(
  core: GroupCore,
  userId: string,
  after: MemberPosition | undefined,
  limit: number,
): GroupResult<{ members: GroupMember[]; next?: MemberPosition }> {
  const caller = requireMember(core, userId);
  if (!caller.ok) return caller;

  const page = core.state.memberPage(after, limit);
  const members = page.members.map(({ joinSeq: _joinSeq, ...member }) => member);
  return success({ members, next: page.next });
}

export function toInfo(
  core: GroupCore,
  settings: GroupSettings,
  myRole: GroupInfo['myRole'],
  myApplicationId: string | null = null,
): GroupInfo {
  const { dissolvedAt: _dissolvedAt, ...fields } = settings;
  return {
    ...fields,
    memberCount: core.state.memberCount(),
    encryption: settings.memberLimit <= GROUP_E2E_MEMBERS_MAX ? 'end_to_end' : 'transport',
    myRole,
    myApplicationId,
  };
}

/** Returns the fields of `requested` whose value differs from the current settings. */
function changedFields(settings: GroupSettings, requested: GroupInfoFields): GroupInfoFields {
  const changed: GroupInfoFields = {};
  if (requested.name !== undefined && requested.name !== settings.name) changed.name = requested.name;
  if (requested.avatarKey !== undefined && requested.avatarKey !== settings.avatarKey) changed.avatarKey = requested.avatarKey;
  if (requested.introduction !== undefined && requested.introduction !== settings.introduction) changed.introduction = requested.introduction;
  if (requested.notice !== undefined && requested.notice !== settings.notice) changed.notice = requested.notice;
  if (requested.joinPolicy !== undefined && requested.joinPolicy !== settings.joinPolicy) changed.joinPolicy = requested.joinPolicy;
  if (requested.membersCanInvite !== undefined && requested.membersCanInvite !== settings.membersCanInvite) {
    changed.membersCanInvite = requested.membersCanInvite;
  }
  if (requested.historyVisible !== undefined && requested.historyVisible !== settings.historyVisible) {
    changed.historyVisible = requested.historyVisible;
  }
  return changed;
}
