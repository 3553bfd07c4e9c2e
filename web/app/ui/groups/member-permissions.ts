// Which actions the caller's role allows on one member, as the edge decides
// them (docs/groups.md): admins remove plain members; the owner removes
// anyone, appoints and removes admins and hands over ownership.

import type { GroupRole } from '../../../../protocol/groups';

export interface MemberActions {
  kick: boolean;
  makeAdmin: boolean;
  removeAdmin: boolean;
  transfer: boolean;
}

export const NO_ACTIONS: MemberActions = { kick: false, makeAdmin: false, removeAdmin: false, transfer: false };

export function memberActions(myRole: GroupRole | null, isSelf: boolean, role: GroupRole): MemberActions {
  if (isSelf || myRole === null || role === 'owner') return NO_ACTIONS;
  if (myRole === 'admin') return { ...NO_ACTIONS, kick: role === 'member' };
  if (myRole === 'member') return NO_ACTIONS;
  return { kick: true, makeAdmin: role === 'member', removeAdmin: role === 'admin', transfer: true };
}
