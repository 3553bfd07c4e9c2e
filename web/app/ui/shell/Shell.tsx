// The signed-in layout. Phones show one pane at a time (list, chat or
// settings); wide screens show the list beside the open chat or settings.

import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { route, type Route } from '../../state/route';
import { ChatView } from '../chat/ChatView';
import { ConversationList } from '../chats/ConversationList';
import { NewChatForm } from '../chats/NewChatForm';
import { ChatsIcon, PlusIcon } from '../common/icons';
import { lazyComponent } from '../common/lazy';
import { ConnectionStatus } from './ConnectionStatus';
import { NavBar } from './NavBar';

const SettingsView = lazyComponent(() => import('../settings/SettingsView'));

export function Shell({ account }: { account: Account }) {
  const current = route.value;
  const view = paneOf(current);

  return (
    <div class="shell" data-view={view}>
      <ConnectionStatus />
      <NavBar active={view === 'settings' ? 'settings' : 'chats'} />
      <ListPane account={account} />
      <main class="pane-main">
        {current.name === 'chat' && (
          <ChatView key={current.conversationId} account={account} conversationId={current.conversationId} />
        )}
        {current.name === 'settings' && <SettingsView account={account} />}
        {view === 'list' && (
          <div class="placeholder">
            <ChatsIcon size={48} />
            <p class="placeholder-text">{t('chat.selectPrompt')}</p>
          </div>
        )}
      </main>
    </div>
  );
}

/** The pane a phone shows for a route; wide screens show the list beside it. */
function paneOf(current: Route): 'list' | 'chat' | 'settings' {
  if (current.name === 'chat') return 'chat';
  if (current.name === 'settings') return 'settings';
  return 'list';
}

function ListPane({ account }: { account: Account }) {
  const [composing, setComposing] = useState(false);

  return (
    <section class="pane-list" aria-label={t('chats.title')}>
      <header class="pane-header">
        <h1 class="pane-title">{t('chats.title')}</h1>
        <button
          type="button"
          class="icon-button icon-button-accent"
          data-testid="new-chat-button"
          aria-label={t('newChat.open')}
          aria-expanded={composing}
          onClick={() => setComposing(true)}
        >
          <PlusIcon />
        </button>
      </header>
      {composing && <NewChatForm account={account} onClose={() => setComposing(false)} />}
      <ConversationList account={account} />
    </section>
  );
}
