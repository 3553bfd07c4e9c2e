// The short message that goes with a friend request, checked against
// FRIEND_REQUEST_MESSAGE_MAX_CHARS before it is sent.

import { useState } from 'preact/hooks';
import type { UserProfileView } from '../../../../protocol/api';
import { FRIEND_REQUEST_MESSAGE_MAX_CHARS } from '../../../../protocol/limits';
import { errorText, t } from '../../i18n';
import { sendFriendRequest } from '../../net/relations-api';
import { validateRequestMessage } from '../../relations-validation';
import { FormError } from '../common/FormError';
import { describeFailure } from '../common/use-paged-list';

interface Props {
  profile: UserProfileView;
  onClose(): void;
  onSent(): void;
}

export function FriendRequestForm({ profile, onClose, onSent }: Props) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;

    const trimmed = message.trim();
    const invalid = validateRequestMessage(trimmed);
    if (invalid) {
      setError(errorText(invalid));
      return;
    }

    setBusy(true);
    setError(null);
    try {
      const result = await sendFriendRequest(profile.id, trimmed);
      setDone(result.status === 'friends' ? t('profile.nowFriends') : t('profile.requestDone'));
      onSent();
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <p class="form-success" role="status" data-testid="friend-request-done">
        {done}
      </p>
    );
  }

  return (
    <form class="form friend-request" onSubmit={submit} noValidate>
      <label class="field">
        <span class="field-label">{t('profile.requestMessage')}</span>
        <textarea
          data-testid="friend-request-message"
          rows={2}
          placeholder={t('profile.requestPlaceholder')}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
        <span class="field-hint">{t('profile.requestHint', { max: FRIEND_REQUEST_MESSAGE_MAX_CHARS })}</span>
      </label>
      <FormError message={error} />
      <div class="new-chat-actions">
        <button type="button" class="button button-quiet" onClick={onClose}>
          {t('profile.requestCancel')}
        </button>
        <button type="submit" class="button button-primary" data-testid="friend-request-send" disabled={busy}>
          {busy ? t('profile.requestSending') : t('profile.requestSend')}
        </button>
      </div>
    </form>
  );
}
