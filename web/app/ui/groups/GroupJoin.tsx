// What a non-member sees in the info panel: join an open group at once,
// apply with a message to an approval group, or learn that the group takes
// members by invitation only.

import { useState } from 'preact/hooks';
import type { GroupInfo } from '../../../../protocol/groups';
import { GROUP_APPLICATION_MESSAGE_MAX_CHARS } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { applyToGroup } from '../../net/groups-api';
import { validateApplicationMessage } from '../../state/group-admin-validation';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';
import { fieldErrorText, groupFailureText } from './group-errors';

export function GroupJoin({ info, onJoined }: { info: GroupInfo; onJoined(): void }) {
  const [message, setMessage] = useState('');
  // The server names an application still waiting for a decision, so the status survives a reload.
  const [pending, setPending] = useState(info.myApplicationId !== null);
  const { busy, error, onSubmit: apply } = useFormSubmit(async () => {
    const invalid = validateApplicationMessage(message.trim());
    if (invalid) return fieldErrorText(invalid);

    const result = await applyToGroup(info.id, message.trim());
    if (result.status === 'joined') onJoined();
    else setPending(true);
    return null;
  }, groupFailureText);

  if (info.joinPolicy === 'invite_only') {
    return (
      <section class="group-section">
        <p class="muted" data-testid="group-invite-only">
          {t('groupAdmin.inviteOnly')}
        </p>
      </section>
    );
  }

  if (info.joinPolicy === 'open') {
    return (
      <section class="group-section">
        <FormError message={error} testId="group-join-error" />
        <button type="button" class="button button-primary" data-testid="group-join-button" disabled={busy} onClick={(event) => void apply(event)}>
          {t('groupAdmin.join')}
        </button>
      </section>
    );
  }

  if (pending) {
    return (
      <section class="group-section">
        <p class="form-success" role="status" data-testid="group-apply-status">
          {t('groupAdmin.applicationSent')}
        </p>
      </section>
    );
  }

  return (
    <section class="group-section">
      <form class="form" onSubmit={apply} noValidate>
        <label class="field">
          <span class="field-label">{t('groupAdmin.field.message')}</span>
          <textarea data-testid="group-apply-message" rows={2} value={message} onInput={(event) => setMessage(event.currentTarget.value)} />
          <span class="field-hint">{t('groupAdmin.applyHint', { max: GROUP_APPLICATION_MESSAGE_MAX_CHARS })}</span>
        </label>
        <FormError message={error} testId="group-join-error" />
        <button type="submit" class="button button-primary" data-testid="group-apply-button" disabled={busy}>
          {t('groupAdmin.apply')}
        </button>
      </form>
    </section>
  );
}
