// The fields that creating a group and editing its settings share. Each form
// keeps its own draft and receives the changed fields through `onChange`.
// `testId` prefixes the data-testid of every input, so each form keeps its ids.

import { GROUP_INTRODUCTION_MAX_CHARS, GROUP_NAME_MAX_CHARS } from '../../../../protocol/limits';
import { t } from '../../i18n';

interface GroupText {
  name: string;
  introduction: string;
}

interface GroupSwitches {
  membersCanInvite: boolean;
  historyVisible: boolean;
}

interface FieldsProps<Values> {
  values: Values;
  onChange(fields: Partial<Values>): void;
  testId: string;
}

/** Renders the name and introduction inputs with their limits as hints. */
export function GroupTextFields({ values, onChange, testId, autoFocus = false }: FieldsProps<GroupText> & { autoFocus?: boolean }) {
  return (
    <>
      <label class="field">
        <span class="field-label">{t('groupAdmin.field.name')}</span>
        <input
          data-testid={`${testId}-name`}
          name="name"
          autoFocus={autoFocus}
          value={values.name}
          onInput={(event) => onChange({ name: event.currentTarget.value })}
        />
        <span class="field-hint">{t('groupAdmin.nameHint', { max: GROUP_NAME_MAX_CHARS })}</span>
      </label>
      <label class="field">
        <span class="field-label">{t('groupAdmin.field.introduction')}</span>
        <textarea
          data-testid={`${testId}-introduction`}
          name="introduction"
          rows={3}
          value={values.introduction}
          onInput={(event) => onChange({ introduction: event.currentTarget.value })}
        />
        <span class="field-hint">{t('groupAdmin.introductionHint', { max: GROUP_INTRODUCTION_MAX_CHARS })}</span>
      </label>
    </>
  );
}

/** Renders the two member switches: members may invite, and new members see the history. */
export function GroupMemberSwitches({ values, onChange, testId }: FieldsProps<GroupSwitches>) {
  return (
    <>
      <label class="switch">
        <input
          type="checkbox"
          data-testid={`${testId}-members-can-invite`}
          checked={values.membersCanInvite}
          onChange={(event) => onChange({ membersCanInvite: event.currentTarget.checked })}
        />
        <span>{t('groupAdmin.membersCanInvite')}</span>
      </label>
      <label class="switch">
        <input
          type="checkbox"
          data-testid={`${testId}-history-visible`}
          checked={values.historyVisible}
          onChange={(event) => onChange({ historyVisible: event.currentTarget.checked })}
        />
        <span>{t('groupAdmin.historyVisible')}</span>
      </label>
    </>
  );
}
