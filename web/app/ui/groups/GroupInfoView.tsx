// The group info panel: what the group is, the caller's place in it, and the
// management a role allows. A non-member (arriving from search) sees how to
// join instead. Everything reloads when a `group` inbox event arrives.

import '../../styles/relations.css';
import '../../styles/groups.css';
import { useEffect, useState } from 'preact/hooks';
import type { GroupInfo } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { getGroup } from '../../net/groups-api';
import { ApiError } from '../../net/http';
import type { Account } from '../../state/account';
import { groupEventVersion } from '../../state/group-events';
import { FormError } from '../common/FormError';
import { GroupApplications } from './GroupApplications';
import { GroupDetails } from './GroupDetails';
import { GroupExit } from './GroupExit';
import { GroupInvite } from './GroupInvite';
import { GroupJoin } from './GroupJoin';
import { GroupMemberList } from './GroupMemberList';
import { NicknameForm } from './NicknameForm';
import { groupFailureText } from './group-errors';

export default function GroupInfoView({ account, groupId }: { account: Account; groupId: string }) {
  const eventVersion = groupEventVersion.value;
  const [localVersion, setLocalVersion] = useState(0);
  const [info, setInfo] = useState<GroupInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => setLocalVersion((value) => value + 1);
  const version = eventVersion + localVersion;

  useEffect(() => {
    let current = true;
    getGroup(groupId)
      .then((loaded) => {
        if (!current) return;
        setInfo(loaded);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!current) return;
        // A dissolved group returns not_found, and its old info and actions must not stay on screen.
        if (failure instanceof ApiError && failure.details.code === 'not_found') setInfo(null);
        setError(groupFailureText(failure));
      });
    return () => {
      current = false;
    };
  }, [groupId, version]);

  return (
    <section class="page" data-testid="group-info" data-my-role={info ? (info.myRole ?? 'none') : undefined}>
      <header class="pane-header">
        <h1 class="pane-title">{t('groupAdmin.infoTitle')}</h1>
      </header>
      <div class="page-body group-panel">
        <FormError message={error} testId="group-info-error" />
        {info === null && error === null && <p class="muted">{t('groupAdmin.loading')}</p>}
        {info !== null && <GroupSections account={account} info={info} version={version} onInfo={setInfo} onChanged={reload} />}
      </div>
    </section>
  );
}

interface SectionProps {
  account: Account;
  info: GroupInfo;
  version: number;
  onInfo(info: GroupInfo): void;
  onChanged(): void;
}

function GroupSections({ account, info, version, onInfo, onChanged }: SectionProps) {
  const role = info.myRole;
  const isAdmin = role === 'owner' || role === 'admin';
  // Known once the member list has loaded the page with the caller on it.
  const [ownNickname, setOwnNickname] = useState<string | null>(null);

  return (
    <>
      <GroupDetails info={info} onInfo={onInfo} />
      {role === null && <GroupJoin key={info.myApplicationId ?? 'none'} info={info} onJoined={onChanged} />}
      {role !== null && <NicknameForm groupId={info.id} current={ownNickname} />}
      {role !== null && (isAdmin || info.membersCanInvite) && <GroupInvite account={account} groupId={info.id} onJoined={onChanged} />}
      {isAdmin && <GroupApplications account={account} groupId={info.id} version={version} onDecided={onChanged} />}
      {role !== null && (
        <GroupMemberList
          account={account}
          info={info}
          version={version}
          onChanged={onChanged}
          onOwnRecord={(member) => setOwnNickname(member.nickname)}
        />
      )}
      {/* Keyed by role: after a transfer, the former owner's error does not stay. */}
      {role !== null && <GroupExit key={role} info={info} />}
    </>
  );
}
