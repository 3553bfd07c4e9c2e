// The member list of the info panel, a page at a time: owner, admins, then
// members in join order, with role badges, nicknames or display names, and
// the actions the caller's role allows on each member.

import { useEffect } from 'preact/hooks';
import type { GroupInfo, GroupMember } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { kickMember, listMembers, setAdmin, transferOwnership } from '../../net/groups-api';
import type { Account } from '../../state/account';
import { memberName } from '../../state/group-admin-actions';
import { ensureProfiles, profiles } from '../../state/profiles';
import { Avatar } from '../common/Avatar';
import { usePagedList } from '../common/use-paged-list';
import { ListFooter } from '../contacts/UserListPanel';
import { FormError } from '../common/FormError';
import { useConfirm } from './ConfirmDialog';
import { roleLabel } from './group-labels';
import { memberActions, type MemberActions } from './member-permissions';
import { useGroupAction } from './use-group-action';

interface Props {
  account: Account;
  info: GroupInfo;
  /** Changes when the group changed; the list reloads from the first page then. */
  version: number;
  onChanged(): void;
  /** Receives the caller's own member record when a loaded page contains it. */
  onOwnRecord(member: GroupMember): void;
}

export function GroupMemberList({ account, info, version, onChanged, onOwnRecord }: Props) {
  const members = usePagedList(`${info.id}:${version}`, async (cursor) => {
    const page = await listMembers(info.id, cursor);
    return { items: page.members, nextCursor: page.nextCursor };
  });
  const [dialog, confirm] = useConfirm();
  const action = useGroupAction(onChanged);

  useEffect(() => {
    ensureProfiles(account, members.items.map((member) => member.userId));
    const own = members.items.find((member) => member.userId === account.userId);
    if (own) onOwnRecord(own);
  }, [members.items]);

  async function kick(member: GroupMember, name: string) {
    if (!(await confirm(t('groupAdmin.confirmKick', { name }), t('groupAdmin.kick')))) return;
    await action.run(() => kickMember(info.id, member.userId));
  }

  async function transfer(member: GroupMember, name: string) {
    if (!(await confirm(t('groupAdmin.confirmTransfer', { name }), t('groupAdmin.transfer')))) return;
    await action.run(() => transferOwnership(info.id, member.userId));
  }

  return (
    <section class="group-section">
      <h3 class="group-subheading">{t('groupAdmin.memberListTitle', { count: info.memberCount })}</h3>
      <FormError message={action.error} testId="group-member-error" />
      <ul class="group-list" data-testid="group-members">
        {members.items.map((member) => (
          <MemberRow
            key={member.userId}
            member={member}
            allowed={memberActions(info.myRole, member.userId === account.userId, member.role)}
            busy={action.busy}
            onMakeAdmin={(admin) => void action.run(() => setAdmin(info.id, member.userId, admin))}
            onTransfer={(name) => void transfer(member, name)}
            onKick={(name) => void kick(member, name)}
          />
        ))}
      </ul>
      <ListFooter
        state={members.state}
        error={members.error}
        empty={members.items.length === 0}
        emptyText={t('groupAdmin.noMembers')}
        hasMore={members.hasMore}
        onMore={members.loadMore}
        onRetry={members.reload}
      />
      {dialog}
    </section>
  );
}

interface RowProps {
  member: GroupMember;
  allowed: MemberActions;
  busy: boolean;
  onMakeAdmin(admin: boolean): void;
  onTransfer(name: string): void;
  onKick(name: string): void;
}

function MemberRow({ member, allowed, busy, onMakeAdmin, onTransfer, onKick }: RowProps) {
  const profile = profiles.value.get(member.userId);
  const name = memberName(member, profile);

  return (
    <li class="group-row" data-testid="group-member" data-user-id={member.userId} data-role={member.role}>
      <Avatar userId={member.userId} name={name} url={profile?.avatarUrl} size={40} />
      <span class="group-row-body">
        <span class="group-row-name" data-testid="member-name" dir="auto">
          {name}
        </span>
        {member.nickname !== '' && profile && (
          <span class="muted" dir="auto">
            {profile.displayName}
          </span>
        )}
      </span>
      {member.role !== 'member' && (
        <span class={`badge group-role-${member.role}`} data-testid="member-role-badge">
          {roleLabel(member.role)}
        </span>
      )}
      <span class="group-row-actions">
        {allowed.makeAdmin && (
          <button type="button" class="button button-quiet button-small" data-testid="member-make-admin" disabled={busy} onClick={() => onMakeAdmin(true)}>
            {t('groupAdmin.makeAdmin')}
          </button>
        )}
        {allowed.removeAdmin && (
          <button type="button" class="button button-quiet button-small" data-testid="member-remove-admin" disabled={busy} onClick={() => onMakeAdmin(false)}>
            {t('groupAdmin.removeAdmin')}
          </button>
        )}
        {allowed.transfer && (
          <button type="button" class="button button-quiet button-small" data-testid="member-transfer" disabled={busy} onClick={() => onTransfer(name)}>
            {t('groupAdmin.transfer')}
          </button>
        )}
        {allowed.kick && (
          <button type="button" class="button button-danger button-small" data-testid="member-kick" disabled={busy} onClick={() => onKick(name)}>
            {t('groupAdmin.kick')}
          </button>
        )}
      </span>
    </li>
  );
}
