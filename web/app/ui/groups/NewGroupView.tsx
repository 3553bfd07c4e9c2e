// Creates a group: name, picture, introduction, join policy, member limit and
// the two member switches. The form checks every limit before sending; on
// success it opens the new group's chat.

import '../../styles/relations.css';
import '../../styles/groups.css';
import { useState } from 'preact/hooks';
import {
  GROUP_E2E_MEMBERS_MAX,
  GROUP_MEMBERS_DEFAULT,
  GROUP_MEMBERS_MAX,
  GROUP_MEMBERS_MIN,
} from '../../../../protocol/limits';
import { errorText, t } from '../../i18n';
import type { Account } from '../../state/account';
import { createGroupWithAvatar } from '../../state/group-admin-actions';
import { checkGroupCreateForm, type GroupCreateForm } from '../../state/group-admin-validation';
import { navigate } from '../../state/route';
import { Avatar } from '../common/Avatar';
import { FormError } from '../common/FormError';
import { GroupAvatarInput } from './GroupAvatarInput';
import { GroupMemberSwitches, GroupTextFields } from './GroupFormFields';
import { fieldErrorText, groupFailureText } from './group-errors';
import { JoinPolicySelect } from './JoinPolicySelect';

const INITIAL_FORM: GroupCreateForm = {
  name: '',
  introduction: '',
  joinPolicy: 'approval',
  memberLimit: String(GROUP_MEMBERS_DEFAULT),
  membersCanInvite: true,
  historyVisible: false,
};

export default function NewGroupView(_props: { account: Account }) {
  const [form, setForm] = useState<GroupCreateForm>(INITIAL_FORM);
  const [avatar, setAvatar] = useState<Blob | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const update = (fields: Partial<GroupCreateForm>) => setForm({ ...form, ...fields });

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;

    const checked = checkGroupCreateForm(form);
    if (!checked.ok) {
      setErrors(checked.errors.map(fieldErrorText));
      return;
    }

    setBusy(true);
    setErrors([]);
    try {
      const created = await createGroupWithAvatar(checked.request, avatar);
      if (!created.avatarError) {
        navigate({ name: 'chat', conversationId: `g:${created.info.id}` });
        return;
      }
      // The group exists, so a second submit would create another; the picture can be uploaded again from the info panel.
      setCreatedId(created.info.id);
      setErrors([t('groupAdmin.avatarFailedAfterCreate', { reason: errorText(created.avatarError) })]);
    } catch (failure) {
      setErrors([groupFailureText(failure)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page" data-testid="new-group-view">
      <header class="pane-header">
        <h1 class="pane-title">{t('groupAdmin.createTitle')}</h1>
      </header>
      <div class="page-body">
        <form class="form group-form" data-testid="group-create-form" onSubmit={submit} noValidate>
          <GroupAvatarInput
            fallback={<Avatar userId="new-group" name={form.name || t('groupAdmin.createTitle')} size={72} />}
            onPicked={setAvatar}
          />
          <GroupTextFields values={form} onChange={update} testId="group" autoFocus />
          <JoinPolicySelect value={form.joinPolicy} onChange={(joinPolicy) => update({ joinPolicy })} />
          <label class="field">
            <span class="field-label">{t('groupAdmin.field.memberLimit')}</span>
            <input
              data-testid="group-member-limit"
              name="memberLimit"
              type="number"
              inputMode="numeric"
              min={GROUP_MEMBERS_MIN}
              max={GROUP_MEMBERS_MAX}
              value={form.memberLimit}
              onInput={(event) => update({ memberLimit: event.currentTarget.value })}
            />
            <span class="field-hint">{t('groupAdmin.memberLimitHint', { min: GROUP_MEMBERS_MIN, max: GROUP_MEMBERS_MAX })}</span>
            <span class="field-hint">{t('groupAdmin.encryptionHint', { max: GROUP_E2E_MEMBERS_MAX })}</span>
          </label>
          <GroupMemberSwitches values={form} onChange={update} testId="group" />
          {errors.map((message) => (
            <FormError key={message} message={message} testId="group-create-error" />
          ))}
          {createdId === null ? (
            <button type="submit" class="button button-primary" data-testid="group-create-submit" disabled={busy}>
              {busy ? t('groupAdmin.creating') : t('groupAdmin.create')}
            </button>
          ) : (
            <button type="button" class="button button-primary" onClick={() => navigate({ name: 'chat', conversationId: `g:${createdId}` })}>
              {t('groupAdmin.openCreated')}
            </button>
          )}
        </form>
      </div>
    </section>
  );
}
