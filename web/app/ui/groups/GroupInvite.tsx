// Invites a user by username. Admins add them at once under any policy; a
// member's invitation to an approval group becomes an application that an
// admin decides.

import { useState } from 'preact/hooks';
import { errorText, t } from '../../i18n';
import type { Account } from '../../state/account';
import { inviteByUsername } from '../../state/group-admin-actions';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';

export function GroupInvite({ account, groupId, onJoined }: { account: Account; groupId: string; onJoined(): void }) {
  const [username, setUsername] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    setResult(null);
    const outcome = await inviteByUsername(account, groupId, username);
    if (!outcome.ok) {
      const failure = outcome.error;
      return 'notFound' in failure ? t('groupAdmin.userNotFound', { username: failure.notFound }) : errorText(failure);
    }

    const name = username.trim();
    if (outcome.result.status === 'joined') {
      setResult(t('groupAdmin.inviteJoined', { username: name }));
      onJoined();
    } else {
      setResult(t('groupAdmin.invitePending', { username: name }));
    }
    setUsername('');
    return null;
  });

  return (
    <section class="group-section">
      <h3 class="group-subheading">{t('groupAdmin.invite')}</h3>
      <form class="form group-inline-form" onSubmit={onSubmit} noValidate>
        <label class="field">
          <span class="field-label">{t('groupAdmin.inviteUsername')}</span>
          <input
            data-testid="group-invite-username"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button-primary" data-testid="group-invite-submit" disabled={busy || username.trim() === ''}>
          {t('groupAdmin.inviteSubmit')}
        </button>
      </form>
      <FormError message={error} testId="group-invite-error" />
      {result && (
        <p class="form-success" role="status" data-testid="group-invite-result">
          {result}
        </p>
      )}
    </section>
  );
}
