// The top of the info panel: picture, name, copyable id, introduction,
// notice, join policy, member count, the caller's role and the kind of
// encryption. The owner and admins change the picture, the info and the
// notice here.

import { useState } from 'preact/hooks';
import type { GroupInfo } from '../../../../protocol/groups';
import { GROUP_E2E_MEMBERS_MAX } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { uploadGroupAvatar } from '../../net/groups-api';
import { FormError } from '../common/FormError';
import { GroupAvatar } from './GroupAvatar';
import { GroupAvatarInput } from './GroupAvatarInput';
import { GroupNoticeEditor } from './GroupNoticeEditor';
import { GroupSettingsEditor } from './GroupSettingsEditor';
import { groupFailureText } from './group-errors';
import { encryptionLabel, joinPolicyLabel, roleLabel } from './group-labels';

export function GroupDetails({ info, onInfo }: { info: GroupInfo; onInfo(info: GroupInfo): void }) {
  const isAdmin = info.myRole === 'owner' || info.myRole === 'admin';
  const [editing, setEditing] = useState(false);

  return (
    <section class="group-section group-details">
      <div class="group-heading">
        {isAdmin ? <AdminAvatar info={info} onInfo={onInfo} /> : <GroupAvatar group={info} size={72} />}
        <div class="group-heading-text">
          <h2 class="group-name" data-testid="group-info-name" dir="auto">
            {info.name}
          </h2>
          <GroupIdLine groupId={info.id} />
        </div>
      </div>
      {info.introduction !== '' && (
        <p class="group-introduction" data-testid="group-introduction-text" dir="auto">
          {info.introduction}
        </p>
      )}
      <GroupNoticeEditor info={info} canEdit={isAdmin} onInfo={onInfo} />
      <dl class="group-facts">
        <dt>{t('groupAdmin.field.joinPolicy')}</dt>
        <dd data-testid="group-join-policy-value">{joinPolicyLabel(info.joinPolicy)}</dd>
        <dt>{t('groupAdmin.members')}</dt>
        <dd data-testid="group-member-count">{t('groupAdmin.memberCount', { count: info.memberCount, limit: info.memberLimit })}</dd>
        <dt>{t('groupAdmin.myRole')}</dt>
        <dd data-testid="group-my-role">{info.myRole ? roleLabel(info.myRole) : t('groupAdmin.notMember')}</dd>
        <dt>{t('groupAdmin.encryption')}</dt>
        <dd data-testid="group-encryption" title={t('groupAdmin.encryptionHint', { max: GROUP_E2E_MEMBERS_MAX })}>
          {encryptionLabel(info.encryption)}
        </dd>
        <dt>{t('groupAdmin.membersCanInvite')}</dt>
        <dd>{info.membersCanInvite ? t('groupAdmin.yes') : t('groupAdmin.no')}</dd>
        <dt>{t('groupAdmin.historyVisible')}</dt>
        <dd>{info.historyVisible ? t('groupAdmin.yes') : t('groupAdmin.no')}</dd>
      </dl>
      {isAdmin && !editing && (
        <button type="button" class="button button-quiet" data-testid="group-edit-info" onClick={() => setEditing(true)}>
          {t('groupAdmin.editInfo')}
        </button>
      )}
      {isAdmin && editing && (
        <GroupSettingsEditor
          info={info}
          onSaved={(updated) => {
            onInfo(updated);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </section>
  );
}

function GroupIdLine({ groupId }: { groupId: string }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(groupId);
      setCopied(true);
    } catch (error) {
      // Clipboard access needs a secure context and permission; the id stays selectable.
      console.warn('[groups] copying the group id failed', error);
    }
  }

  return (
    <p class="group-id-line">
      <span class="muted">{t('groupAdmin.groupId')}</span>{' '}
      <code class="group-id" data-testid="group-id">
        {groupId}
      </code>{' '}
      <button type="button" class="button button-quiet button-small" data-testid="group-id-copy" onClick={() => void copy()}>
        {copied ? t('groupAdmin.copied') : t('groupAdmin.copy')}
      </button>
    </p>
  );
}

function AdminAvatar({ info, onInfo }: { info: GroupInfo; onInfo(info: GroupInfo): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function upload(image: Blob) {
    setBusy(true);
    setError(null);
    try {
      onInfo(await uploadGroupAvatar(info.id, image));
    } catch (failure) {
      setError(groupFailureText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="group-avatar-edit">
      <GroupAvatarInput
        fallback={<GroupAvatar group={info} size={72} />}
        busy={busy}
        showPreview={false}
        onPicked={(image) => void upload(image)}
      />
      <FormError message={error} testId="group-avatar-error" />
    </div>
  );
}
