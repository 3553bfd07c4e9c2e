// Joining and leaving a group: applications, invitations, decisions, leaving
// and kicking. Each function runs synchronously inside one GroupDO call.

import type { GroupApplication, JoinResult } from '../../protocol/groups';
import { newId } from '../auth/tokens';
import {
  addMember,
  failure,
  forbidden,
  isAdmin,
  liveSettings,
  notifyPrivately,
  recordChange,
  requireMember,
  success,
  type GroupCore,
  type GroupResult,
} from './group-core';
import type { GroupSettings } from './group-state';

/** Pending applications in one list for the admins, at most. */
const APPLICATIONS_LIST_MAX = 200;

/** Applies to join: open groups add the user at once, approval groups queue the application for the admins. */
export function apply(core: GroupCore, userId: string, message: string, now: number): GroupResult<JoinResult> {
  const settings = liveSettings(core);
  if (!settings.ok) return settings;
  if (core.state.member(userId)) return failure(409, 'already_member', 'You are already a member of this group.');

  switch (settings.value.joinPolicy) {
    case 'open': {
      const joined = addMember(core, settings.value, userId, undefined, now);
      return joined.ok ? success({ status: 'joined' }) : joined;
    }
    case 'approval':
      return success(openApplication(core, settings.value, userId, undefined, message, now));
    case 'invite_only':
      return forbidden('This group takes new members by invitation only.');
    default: {
      const unreachable: never = settings.value.joinPolicy;
      throw new Error(`Unknown join policy ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Invites a user. Admins always may, and other members only when the group
 * allows it. Under the approval policy a member's invitation becomes an
 * application that an admin decides.
 */
export function invite(core: GroupCore, inviterId: string, inviteeId: string, now: number): GroupResult<JoinResult> {
  const caller = requireMember(core, inviterId);
  if (!caller.ok) return caller;
  const { settings, me } = caller.value;

  if (!isAdmin(me.role) && !settings.membersCanInvite) return forbidden('Only admins may invite to this group.');
  if (core.state.member(inviteeId)) return failure(409, 'already_member', 'The user is already a member of this group.');

  if (!isAdmin(me.role) && settings.joinPolicy === 'approval') {
    return success(openApplication(core, settings, inviteeId, inviterId, '', now));
  }
  const joined = addMember(core, settings, inviteeId, inviterId, now);
  return joined.ok ? success({ status: 'joined' }) : joined;
}

/** Stores an application (or returns the applicant's pending one) and notifies every admin. */
function openApplication(
  core: GroupCore,
  settings: GroupSettings,
  applicantId: string,
  inviterId: string | undefined,
  message: string,
  now: number,
): JoinResult {
  const pending = core.applications.pendingOf(applicantId);
  if (pending) return { status: 'pending', applicationId: pending.id };

  const application: GroupApplication = { id: newId(), applicantId, inviterId: inviterId ?? null, message, createdAt: now };
  core.applications.add(application);
  notifyPrivately(
    core,
    settings,
    { type: 'application', applicationId: application.id, applicantId, message, ...(inviterId ? { inviterId } : {}) },
    core.state.adminIds(),
  );
  return { status: 'pending', applicationId: application.id };
}

/** Approves or rejects an application; admins only. The first decision wins, and later ones get `already_handled`. */
export function decide(core: GroupCore, adminId: string, applicationId: string, approved: boolean, now: number): GroupResult<void> {
  const caller = requireMember(core, adminId);
  if (!caller.ok) return caller;
  const { settings, me } = caller.value;
  if (!isAdmin(me.role)) return forbidden('Only admins decide on applications.');

  const application = core.applications.find(applicationId);
  if (!application) return failure(404, 'not_found', `No application has the id ${JSON.stringify(applicationId)}.`);
  if (application.status !== 'pending') {
    return failure(409, 'already_handled', `The application was already ${application.status}.`);
  }

  if (approved && !core.state.member(application.applicantId)) {
    const joined = addMember(core, settings, application.applicantId, adminId, now);
    if (!joined.ok) return joined;
  }
  core.applications.decide(applicationId, approved, adminId);
  notifyPrivately(core, settings, { type: 'application_result', applicationId, approved, by: adminId }, [application.applicantId]);
  return success(undefined);
}

export function listApplications(core: GroupCore, adminId: string): GroupResult<GroupApplication[]> {
  const caller = requireMember(core, adminId);
  if (!caller.ok) return caller;
  if (!isAdmin(caller.value.me.role)) return forbidden('Only admins see applications.');
  return success(core.applications.pending(APPLICATIONS_LIST_MAX));
}

/** Removes the caller from the group. The owner transfers ownership first (or dissolves the group). */
export function leave(core: GroupCore, userId: string, now: number): GroupResult<void> {
  const caller = requireMember(core, userId);
  if (!caller.ok) return caller;
  if (caller.value.me.role === 'owner') {
    return failure(409, 'owner_must_transfer', 'The owner cannot leave; transfer ownership first or dissolve the group.');
  }

  core.state.removeMember(userId);
  recordChange(core, caller.value.settings, { type: 'left', userId }, now, { notify: [userId] });
  return success(undefined);
}

/** Removes another member: admins kick members, the owner kicks admins and members. The owner cannot be kicked. */
export function kick(core: GroupCore, actorId: string, targetId: string, now: number): GroupResult<void> {
  const caller = requireMember(core, actorId);
  if (!caller.ok) return caller;
  const { settings, me } = caller.value;

  const target = core.state.member(targetId);
  if (!target) return failure(404, 'not_found', 'The user is not a member of this group.');
  if (targetId === actorId) return forbidden('You cannot kick yourself; leave the group instead.');

  const allowed = (me.role === 'owner' && target.role !== 'owner') || (me.role === 'admin' && target.role === 'member');
  if (!allowed) return forbidden(`A group ${me.role} cannot kick a group ${target.role}.`);

  core.state.removeMember(targetId);
  recordChange(core, settings, { type: 'kicked', userId: targetId, by: actorId }, now, { notify: [targetId] });
  return success(undefined);
}

export function setNickname(core: GroupCore, userId: string, nickname: string): GroupResult<void> {
  const caller = requireMember(core, userId);
  if (!caller.ok) return caller;
  core.state.setNickname(userId, nickname);
  return success(undefined);
}
