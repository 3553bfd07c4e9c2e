// The caller's nickname in this group, shown to the other members in place
// of their display name. An empty nickname shows the display name again.

import { useState } from 'preact/hooks';
import { GROUP_NICKNAME_MAX_CHARS } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { setGroupNickname } from '../../net/groups-api';
import { validateNickname } from '../../state/group-admin-validation';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';
import { fieldErrorText, groupFailureText } from './group-errors';

export function NicknameForm({ groupId, current }: { groupId: string; current: string | null }) {
  const [nickname, setNickname] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const value = nickname ?? current ?? '';

  const { busy, error, onSubmit: save } = useFormSubmit(async () => {
    const invalid = validateNickname(value);
    if (invalid) return fieldErrorText(invalid);

    setSaved(false);
    await setGroupNickname(groupId, value.trim());
    setSaved(true);
    return null;
  }, groupFailureText);

  return (
    <section class="group-section">
      <form class="form group-inline-form" onSubmit={save} noValidate>
        <label class="field">
          <span class="field-label">{t('groupAdmin.field.nickname')}</span>
          <input
            data-testid="group-nickname"
            placeholder={t('groupAdmin.nicknamePlaceholder')}
            value={value}
            onInput={(event) => {
              setNickname(event.currentTarget.value);
              setSaved(false);
            }}
          />
          <span class="field-hint">{t('groupAdmin.nicknameHint', { max: GROUP_NICKNAME_MAX_CHARS })}</span>
        </label>
        <button type="submit" class="button button-quiet" data-testid="group-nickname-save" disabled={busy}>
          {t('groupAdmin.save')}
        </button>
      </form>
      <FormError message={error} testId="group-nickname-error" />
      {saved && (
        <p class="form-success" role="status">
          {t('groupAdmin.saved')}
        </p>
      )}
    </section>
  );
}
