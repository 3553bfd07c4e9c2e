// Cards for the group notices of state/group-notices.ts, above the chat
// list: an admin sees who applied to which group and can open its panel to
// decide; an applicant sees the decision and, when approved, can open the
// group chat.

import { useEffect, useState } from 'preact/hooks';
import '../../styles/group-notices.css';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { dismissGroupNotice, groupNotices, type GroupNotice } from '../../state/group-notices';
import { ensureProfiles, profiles } from '../../state/profiles';
import { navigate } from '../../state/route';
import { getGroup } from '../../net/groups-api';

export function GroupNoticeCards({ account }: { account: Account }) {
  const notices = groupNotices.value;
  const groupNames = useGroupNames(notices);
  const known = profiles.value;

  useEffect(() => {
    const people = notices.flatMap(({ change }) => {
      if (change.type !== 'application') return [];
      return change.inviterId ? [change.applicantId, change.inviterId] : [change.applicantId];
    });
    ensureProfiles(account, people);
  }, [account, notices]);

  if (notices.length === 0) return null;

  return (
    <aside class="group-notices" aria-live="polite" aria-label={t('groupNotice.region')}>
      {notices.map((notice) => {
        const group = groupNames.get(notice.groupId) ?? t('groupChat.unnamed');
        return (
          <div class="group-notice" key={notice.key} data-testid="group-notice" data-kind={notice.change.type} data-group-id={notice.groupId}>
            <p class="group-notice-text" data-testid="group-notice-text">
              {noticeText(notice, group, (userId) => known.get(userId)?.displayName ?? t('groupChat.someone'))}
            </p>
            <div class="group-notice-actions">
              <NoticeAction notice={notice} />
              <button
                type="button"
                class="button button-quiet"
                data-testid="group-notice-dismiss"
                onClick={() => dismissGroupNotice(notice.key)}
              >
                {t('groupNotice.dismiss')}
              </button>
            </div>
          </div>
        );
      })}
    </aside>
  );
}

function NoticeAction({ notice }: { notice: GroupNotice }) {
  const { change, groupId } = notice;
  if (change.type === 'application_result' && !change.approved) return null;

  const open = () => {
    dismissGroupNotice(notice.key);
    if (change.type === 'application') navigate({ name: 'group', groupId });
    else navigate({ name: 'chat', conversationId: `g:${groupId}` });
  };
  return (
    <button type="button" class="button button-primary" data-testid="group-notice-open" onClick={open}>
      {change.type === 'application' ? t('groupNotice.review') : t('groupNotice.openChat')}
    </button>
  );
}

function noticeText(notice: GroupNotice, group: string, nameOf: (userId: string) => string): string {
  const { change } = notice;
  switch (change.type) {
    case 'application':
      return change.inviterId
        ? t('groupNotice.invitedApplication', { user: nameOf(change.applicantId), inviter: nameOf(change.inviterId), group })
        : t('groupNotice.application', { user: nameOf(change.applicantId), group });
    case 'application_result':
      return change.approved ? t('groupNotice.approved', { group }) : t('groupNotice.rejected', { group });
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group notice ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Names of the notices' groups, fetched once per group; a failed fetch leaves the generic name. */
function useGroupNames(notices: readonly GroupNotice[]): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());

  useEffect(() => {
    const missing = [...new Set(notices.map((notice) => notice.groupId))].filter((groupId) => !names.has(groupId));
    for (const groupId of missing) {
      getGroup(groupId)
        .then((info) => setNames((current) => new Map(current).set(groupId, info.name)))
        .catch((error: unknown) => console.warn('[groups] reading a notice group failed', { groupId, error }));
    }
  }, [notices]);

  return names;
}
