// Pieces shared by the 1:1 and the group chat views.

import { useEffect } from 'preact/hooks';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { markRead } from '../../state/chat-actions';
import { navigate } from '../../state/route';
import { BackIcon } from '../common/icons';

export function BackButton() {
  return (
    <button
      type="button"
      class="icon-button chat-back"
      data-testid="chat-back"
      aria-label={t('chat.back')}
      onClick={() => navigate({ name: 'chats' })}
    >
      <BackIcon />
    </button>
  );
}

/** Marks the conversation read whenever its messages change while the page is visible. */
export function useMarkReadWhileVisible(account: Account, conversationId: string, messages: unknown[] | null): void {
  useEffect(() => {
    const markIfVisible = () => {
      if (document.visibilityState !== 'visible') return;
      markRead(account, conversationId).catch((error: unknown) =>
        console.warn('[chat] marking the conversation read failed', { conversationId, error }),
      );
    };

    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [account, conversationId, messages]);
}
