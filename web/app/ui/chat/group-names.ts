// Names in group chats: a member's group nickname when set, else their
// display name, and the wording of group changes as system lines.

import type { GroupChange } from '../../../../protocol/groups';
import { t, type MessageKey } from '../../i18n';
import type { CachedProfile } from '../../store/db';

export type NameOf = (userId: string) => string;

/** Returns a function naming members as the chat shows them; the own user is "You". */
export function memberNamer(
  me: string,
  nicknames: Readonly<Record<string, string>>,
  profiles: ReadonlyMap<string, CachedProfile>,
): NameOf {
  return (userId) => {
    if (userId === me) return t('groupChat.you');
    return nicknames[userId] ?? profiles.get(userId)?.displayName ?? t('groupChat.someone');
  };
}

/** Returns the user ids a change names, whose profiles the chat needs. */
export function usersOfChange(change: GroupChange): string[] {
  switch (change.type) {
    case 'created':
    case 'info_changed':
    case 'dissolved':
    case 'application_result':
      return [change.by];
    case 'joined':
      return change.by === undefined ? [change.userId] : [change.userId, change.by];
    case 'left':
      return [change.userId];
    case 'kicked':
    case 'role_changed':
      return [change.userId, change.by];
    case 'owner_transferred':
      return [change.from, change.to];
    case 'application':
      return [change.applicantId];
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Words a group change in the user's language. */
export function systemLineText(change: GroupChange, nameOf: NameOf): string {
  switch (change.type) {
    case 'created':
      return line('groupChat.system.created', { actor: nameOf(change.by), name: change.name });
    case 'joined':
      if (change.by === undefined || change.by === change.userId) {
        return line('groupChat.system.joined', { user: nameOf(change.userId) });
      }
      return line('groupChat.system.joinedBy', { user: nameOf(change.userId), actor: nameOf(change.by) });
    case 'left':
      return line('groupChat.system.left', { user: nameOf(change.userId) });
    case 'kicked':
      return line('groupChat.system.kicked', { actor: nameOf(change.by), user: nameOf(change.userId) });
    case 'role_changed':
      return roleChangeText(change, nameOf);
    case 'owner_transferred':
      return line('groupChat.system.ownerTransferred', { from: nameOf(change.from), to: nameOf(change.to) });
    case 'info_changed':
      return infoChangeText(change, nameOf);
    case 'dissolved':
      return line('groupChat.system.dissolved', { actor: nameOf(change.by) });
    case 'application':
      return line('groupChat.system.application', { user: nameOf(change.applicantId) });
    case 'application_result':
      return change.approved ? t('groupChat.system.applicationApproved') : t('groupChat.system.applicationRejected');
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unreachable)}`);
    }
  }
}

function roleChangeText(change: Extract<GroupChange, { type: 'role_changed' }>, nameOf: NameOf): string {
  const values = { actor: nameOf(change.by), user: nameOf(change.userId) };
  switch (change.role) {
    case 'owner':
      return line('groupChat.system.roleOwner', values);
    case 'admin':
      return line('groupChat.system.roleAdmin', values);
    case 'member':
      return line('groupChat.system.roleMember', values);
    default: {
      const unreachable: never = change.role;
      throw new Error(`unknown group role ${String(unreachable)}`);
    }
  }
}

/** Words an info change: a new notice with its text, a rename with the new name, anything else as one general line. */
function infoChangeText(change: Extract<GroupChange, { type: 'info_changed' }>, nameOf: NameOf): string {
  const actor = nameOf(change.by);
  if (change.fields.notice !== undefined && change.fields.notice !== '') {
    return line('groupChat.system.notice', { actor, notice: change.fields.notice });
  }
  if (change.fields.name !== undefined) return line('groupChat.system.renamed', { actor, name: change.fields.name });
  return line('groupChat.system.infoChanged', { actor });
}

/**
 * Fills a system line's template. The own user is "You" at the start of a
 * sentence and "you" inside it, as in "Alice added you", so a value that is
 * the own-user word is swapped where its placeholder does not open the
 * template. A member whose nickname is that word is swapped too.
 */
function line(key: MessageKey, values: Record<string, string>): string {
  const you = t('groupChat.you');
  const template = t(key);
  const placed = Object.entries(values).map(([name, value]) => {
    const inSentence = value === you && !template.startsWith(`{${name}}`);
    return [name, inSentence ? t('groupChat.youInSentence') : value];
  });
  return t(key, Object.fromEntries(placed));
}
