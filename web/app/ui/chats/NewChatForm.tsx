// Starts a chat by username: looks the user up on the server, stores the
// conversation locally so the list shows it before the first message, and
// opens it.

import { useRef, useState } from 'preact/hooks';
import { errorText, t } from '../../i18n';
import type { Account } from '../../state/account';
import { findChatByUsername } from '../../state/chat-actions';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';

export function NewChatForm({ account, onClose }: { account: Account; onClose: () => void }) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;

    setBusy(true);
    setError(null);
    try {
      const result = await findChatByUsername(account, username);
      if (result.ok) {
        onClose();
        navigate({ name: 'chat', conversationId: result.conversationId });
        return;
      }
      const failure = result.error;
      setError('notFound' in failure ? t('newChat.notFound', { username: failure.notFound }) : errorText(failure));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="new-chat" onSubmit={submit} noValidate>
      <label class="field">
        <span class="field-label">{t('newChat.username')}</span>
        <input
          ref={input}
          data-testid="new-chat-username"
          name="username"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          placeholder={t('newChat.placeholder')}
          autoFocus
          value={username}
          onInput={(event) => setUsername(event.currentTarget.value)}
        />
      </label>
      <FormError message={error} />
      <div class="new-chat-actions">
        <button type="button" class="button button-quiet" onClick={onClose}>
          {t('newChat.cancel')}
        </button>
        <button type="submit" class="button button-primary" data-testid="new-chat-submit" disabled={busy}>
          {busy ? t('newChat.searching') : t('newChat.submit')}
        </button>
      </div>
    </form>
  );
}
