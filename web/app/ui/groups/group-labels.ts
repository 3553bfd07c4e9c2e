// Catalog labels of group enums in the active language.

import type { GroupInfo, GroupRole, JoinPolicy } from '../../../../protocol/groups';
import { t } from '../../i18n';

export function joinPolicyLabel(policy: JoinPolicy): string {
  switch (policy) {
    case 'open':
      return t('groupAdmin.policy.open');
    case 'approval':
      return t('groupAdmin.policy.approval');
    case 'invite_only':
      return t('groupAdmin.policy.invite_only');
    default: {
      const unreachable: never = policy;
      throw new Error(`no label for join policy ${String(unreachable)}`);
    }
  }
}

export function roleLabel(role: GroupRole): string {
  switch (role) {
    case 'owner':
      return t('groupAdmin.role.owner');
    case 'admin':
      return t('groupAdmin.role.admin');
    case 'member':
      return t('groupAdmin.role.member');
    default: {
      const unreachable: never = role;
      throw new Error(`no label for group role ${String(unreachable)}`);
    }
  }
}

export function encryptionLabel(encryption: GroupInfo['encryption']): string {
  switch (encryption) {
    case 'end_to_end':
      return t('groupAdmin.encryption.end_to_end');
    case 'transport':
      return t('groupAdmin.encryption.transport');
    default: {
      const unreachable: never = encryption;
      throw new Error(`no label for group encryption ${String(unreachable)}`);
    }
  }
}
