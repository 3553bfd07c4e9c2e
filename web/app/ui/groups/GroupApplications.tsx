// The applications inbox of the owner and admins: pending applications with
// the applicant, the inviter (when a member invited them) and the message,
// each approved or rejected here. The first decision wins, so a decision on
// an application another admin already handled shows `already_handled`.

import { useEffect, useState } from 'preact/hooks';
import type { GroupApplication } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { decideApplication, listApplications } from '../../net/groups-api';
import type { Account } from '../../state/account';
import { ensureProfiles, profiles } from '../../state/profiles';
import { Avatar } from '../common/Avatar';
import { FormError } from '../common/FormError';
import { groupFailureText } from './group-errors';

interface Props {
  account: Account;
  groupId: string;
  /** Changes when the group changed; the list reloads then. */
  version: number;
  onDecided(): void;
}

export function GroupApplications({ account, groupId, version, onDecided }: Props) {
  const [applications, setApplications] = useState<GroupApplication[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    listApplications(groupId)
      .then((response) => {
        if (!current) return;
        setApplications(response.applications);
        setLoadError(null);
        const people = response.applications.flatMap((application) =>
          application.inviterId === null ? [application.applicantId] : [application.applicantId, application.inviterId],
        );
        ensureProfiles(account, people);
      })
      .catch((failure: unknown) => {
        if (current) setLoadError(groupFailureText(failure));
      });
    return () => {
      current = false;
    };
  }, [groupId, version]);

  async function decide(application: GroupApplication, approve: boolean) {
    if (busyId !== null) return;
    setBusyId(application.id);
    setDecisionError(null);
    try {
      await decideApplication(groupId, application.id, approve);
    } catch (failure) {
      setDecisionError(groupFailureText(failure));
    } finally {
      setBusyId(null);
      // Reload either way: a decided application leaves the list, also when another admin decided it first.
      onDecided();
    }
  }

  return (
    <section class="group-section" data-testid="group-applications">
      <h3 class="group-subheading">{t('groupAdmin.applications')}</h3>
      <FormError message={loadError} testId="group-applications-error" />
      <FormError message={decisionError} testId="group-application-error" />
      {applications !== null && applications.length === 0 && <p class="muted">{t('groupAdmin.noApplications')}</p>}
      {applications !== null && applications.length > 0 && (
        <ul class="group-list">
          {applications.map((application) => (
            <ApplicationRow
              key={application.id}
              application={application}
              busy={busyId === application.id}
              onDecide={(approve) => void decide(application, approve)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ApplicationRow({ application, busy, onDecide }: { application: GroupApplication; busy: boolean; onDecide(approve: boolean): void }) {
  const known = profiles.value;
  const applicant = known.get(application.applicantId);
  const inviter = application.inviterId === null ? undefined : known.get(application.inviterId);
  const applicantName = applicant?.displayName ?? application.applicantId;

  return (
    <li class="group-row" data-testid="group-application" data-applicant-id={application.applicantId}>
      <Avatar userId={application.applicantId} name={applicantName} url={applicant?.avatarUrl} size={40} />
      <span class="group-row-body">
        <span class="group-row-name" data-testid="application-applicant" dir="auto">
          {applicantName}
        </span>
        {application.inviterId !== null && (
          <span class="muted" data-testid="application-inviter" dir="auto">
            {t('groupAdmin.invitedBy', { name: inviter?.displayName ?? application.inviterId })}
          </span>
        )}
        {application.message !== '' && (
          <span class="group-row-detail" data-testid="application-message" dir="auto">
            {application.message}
          </span>
        )}
      </span>
      <span class="group-row-actions">
        <button type="button" class="button button-quiet" data-testid="application-reject" disabled={busy} onClick={() => onDecide(false)}>
          {t('groupAdmin.reject')}
        </button>
        <button type="button" class="button button-primary" data-testid="application-approve" disabled={busy} onClick={() => onDecide(true)}>
          {t('groupAdmin.approve')}
        </button>
      </span>
    </li>
  );
}
