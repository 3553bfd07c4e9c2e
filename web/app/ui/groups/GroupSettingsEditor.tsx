// Edits the group's name, introduction, join policy and the two member
// switches (owner and admins). Only changed fields are sent.

import { useState } from 'preact/hooks';
import type { GroupInfo, UpdateGroupRequest } from '../../../../protocol/groups';
import { t } from '../../i18n';
import { updateGroup } from '../../net/groups-api';
import { validateGroupName, validateIntroduction, type GroupFieldError } from '../../state/group-admin-validation';
import { FormError } from '../common/FormError';
import { GroupMemberSwitches, GroupTextFields } from './GroupFormFields';
import { JoinPolicySelect } from './JoinPolicySelect';
import { fieldErrorText, groupFailureText } from './group-errors';

interface Props {
  info: GroupInfo;
  onSaved(info: GroupInfo): void;
  onCancel(): void;
}

export function GroupSettingsEditor({ info, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState({
    name: info.name,
    introduction: info.introduction,
    joinPolicy: info.joinPolicy,
    membersCanInvite: info.membersCanInvite,
    historyVisible: info.historyVisible,
  });
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const update = (fields: Partial<typeof draft>) => setDraft({ ...draft, ...fields });

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;

    const invalid = [validateGroupName(draft.name), validateIntroduction(draft.introduction)].filter(
      (error): error is GroupFieldError => error !== null,
    );
    if (invalid.length > 0) {
      setErrors(invalid.map(fieldErrorText));
      return;
    }

    const changes: UpdateGroupRequest = {};
    if (draft.name.trim() !== info.name) changes.name = draft.name.trim();
    if (draft.introduction !== info.introduction) changes.introduction = draft.introduction;
    if (draft.joinPolicy !== info.joinPolicy) changes.joinPolicy = draft.joinPolicy;
    if (draft.membersCanInvite !== info.membersCanInvite) changes.membersCanInvite = draft.membersCanInvite;
    if (draft.historyVisible !== info.historyVisible) changes.historyVisible = draft.historyVisible;
    if (Object.keys(changes).length === 0) {
      onCancel();
      return;
    }

    setBusy(true);
    setErrors([]);
    try {
      onSaved(await updateGroup(info.id, changes));
    } catch (failure) {
      setErrors([groupFailureText(failure)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form group-form" data-testid="group-settings-form" onSubmit={save} noValidate>
      <GroupTextFields values={draft} onChange={update} testId="group-settings" />
      <JoinPolicySelect value={draft.joinPolicy} onChange={(joinPolicy) => update({ joinPolicy })} />
      <GroupMemberSwitches values={draft} onChange={update} testId="group-settings" />
      {errors.map((message) => (
        <FormError key={message} message={message} testId="group-settings-error" />
      ))}
      <div class="group-actions">
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('groupAdmin.cancel')}
        </button>
        <button type="submit" class="button button-primary" data-testid="group-settings-save" disabled={busy}>
          {t('groupAdmin.save')}
        </button>
      </div>
    </form>
  );
}
