// The group notice (the pinned announcement), which the owner and admins edit in place.

import { useState } from 'preact/hooks';
import type { GroupInfo } from '../../../../protocol/groups';
import { GROUP_NOTICE_MAX_CHARS } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { updateGroup } from '../../net/groups-api';
import { validateNotice } from '../../state/group-admin-validation';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';
import { fieldErrorText, groupFailureText } from './group-errors';

interface Props {
  info: GroupInfo;
  canEdit: boolean;
  onInfo(info: GroupInfo): void;
}

export function GroupNoticeEditor({ info, canEdit, onInfo }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const { busy, error, onSubmit: save } = useFormSubmit(async () => {
    if (draft === null) return null;
    const invalid = validateNotice(draft);
    if (invalid) return fieldErrorText(invalid);

    onInfo(await updateGroup(info.id, { notice: draft }));
    setDraft(null);
    return null;
  }, groupFailureText);

  if (draft !== null) {
    return (
      <form class="form group-notice-form" onSubmit={save} noValidate>
        <label class="field">
          <span class="field-label">{t('groupAdmin.field.notice')}</span>
          <textarea data-testid="group-notice-input" rows={4} autoFocus value={draft} onInput={(event) => setDraft(event.currentTarget.value)} />
          <span class="field-hint">{t('groupAdmin.noticeHint', { max: GROUP_NOTICE_MAX_CHARS })}</span>
        </label>
        <FormError message={error} testId="group-notice-error" />
        <div class="group-actions">
          <button type="button" class="button button-quiet" onClick={() => setDraft(null)}>
            {t('groupAdmin.cancel')}
          </button>
          <button type="submit" class="button button-primary" data-testid="group-notice-save" disabled={busy}>
            {t('groupAdmin.save')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <div class="group-notice">
      <h3 class="group-subheading">{t('groupAdmin.field.notice')}</h3>
      <p class="group-notice-text" data-testid="group-notice" dir="auto">
        {info.notice === '' ? t('groupAdmin.noNotice') : info.notice}
      </p>
      {canEdit && (
        <button type="button" class="button button-quiet button-small" data-testid="group-edit-notice" onClick={() => setDraft(info.notice)}>
          {t('groupAdmin.editNotice')}
        </button>
      )}
    </div>
  );
}
