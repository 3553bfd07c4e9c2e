// The chat header menu: mute the conversation, switch its notifications,
// open the peer's profile. Changes go to the server, which sends them to the
// user's other devices as a `settings` event.

import { useState } from 'preact/hooks';
import type { UpdateConversationSettingsRequest } from '../../../../protocol/relations';
import { t } from '../../i18n';
import { updateConversationSettings } from '../../net/relations-api';
import { applyConversationSettings, conversationSettingsOf, userSettings } from '../../state/relations';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';
import { MoreIcon } from '../common/icons';
import { describeFailure } from '../common/use-paged-list';

export function ChatMenu({ conversationId, peerId, noteToSelf }: { conversationId: string; peerId: string; noteToSelf: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loaded = userSettings.value !== null;
  const settings = conversationSettingsOf(conversationId);

  async function change(request: UpdateConversationSettingsRequest) {
    setBusy(true);
    setError(null);
    try {
      applyConversationSettings(await updateConversationSettings(conversationId, request));
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="chat-menu">
      <button
        type="button"
        class="icon-button"
        data-testid="chat-menu-button"
        aria-label={t('chat.menu')}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <MoreIcon />
      </button>
      {open && (
        <div class="chat-menu-panel" role="menu" aria-label={t('chat.menu')}>
          {!noteToSelf && (
            <button type="button" role="menuitem" class="chat-menu-item" data-testid="chat-profile-link" onClick={() => navigate({ name: 'profile', userId: peerId })}>
              {t('chat.viewProfile')}
            </button>
          )}
          {!noteToSelf && (
            <label class="switch chat-menu-item" title={t('chat.muteHint')}>
              <input
                type="checkbox"
                role="menuitemcheckbox"
                data-testid="chat-mute-toggle"
                checked={settings.muted}
                disabled={busy || !loaded}
                onChange={(event) => void change({ muted: event.currentTarget.checked })}
              />
              <span>{t('chat.muteToggle')}</span>
            </label>
          )}
          <label class="switch chat-menu-item" title={t('chat.notificationsHint')}>
            <input
              type="checkbox"
              role="menuitemcheckbox"
              data-testid="chat-notifications-toggle"
              checked={settings.notifications}
              disabled={busy || !loaded}
              onChange={(event) => void change({ notifications: event.currentTarget.checked })}
            />
            <span>{t('chat.notificationsToggle')}</span>
          </label>
          <FormError message={error} />
        </div>
      )}
    </div>
  );
}
