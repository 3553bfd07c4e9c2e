// The signed-in layout. Phones show one pane at a time: the list, a chat, or
// a page (settings, contacts, search, a profile, a group's info or the new
// group form). Wide screens show the list beside the open chat or page.

import '../../styles/groups.css';
import { signal } from '@preact/signals';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { navigate, route, type Route } from '../../state/route';
import { ChatView } from '../chat/ChatView';
import { ConversationList } from '../chats/ConversationList';
import { NewChatForm } from '../chats/NewChatForm';
import { ChatsIcon, NewGroupIcon, PlusIcon } from '../common/icons';
import { lazyComponent } from '../common/lazy';
import { ConnectionStatus } from './ConnectionStatus';
import { GroupNoticeCards } from './GroupNoticeCards';
import { NavBar, type NavSection } from './NavBar';

const SettingsView = lazyComponent(() => import('../settings/SettingsView'));
const ContactsView = lazyComponent(() => import('../contacts/ContactsView'));
const SearchView = lazyComponent(() => import('../search/SearchView'));
const ProfileView = lazyComponent(() => import('../profile/ProfileView'));
const GroupInfoView = lazyComponent(() => import('../groups/GroupInfoView'));
const NewGroupView = lazyComponent(() => import('../groups/NewGroupView'));

export function Shell({ account }: { account: Account }) {
  const current = route.value;
  const view = paneOf(current);

  return (
    <div class="shell" data-view={view}>
      <ConnectionStatus />
      <NavBar active={navSectionOf(current)} />
      <ListPane account={account} />
      <main class="pane-main">
        {current.name === 'chat' && (
          <ChatView key={current.conversationId} account={account} conversationId={current.conversationId} />
        )}
        {current.name === 'settings' && <SettingsView account={account} />}
        {current.name === 'contacts' && <ContactsView account={account} tab={current.tab} />}
        {current.name === 'search' && <SearchView account={account} />}
        {current.name === 'profile' && <ProfileView key={current.userId} account={account} userId={current.userId} />}
        {current.name === 'group' && <GroupInfoView key={current.groupId} account={account} groupId={current.groupId} />}
        {current.name === 'newGroup' && <NewGroupView account={account} />}
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

/** Returns the pane a phone shows for a route; wide screens show the list beside it. */
function paneOf(current: Route): 'list' | 'chat' | 'page' {
  switch (current.name) {
    case 'chat':
      return 'chat';
    case 'settings':
    case 'contacts':
    case 'search':
    case 'profile':
    case 'group':
    case 'newGroup':
      return 'page';
    case 'chats':
    case 'signin':
    case 'register':
      return 'list';
    default: {
      const unreachable: never = current;
      throw new Error(`no pane for route ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Returns the navigation entry a route belongs to; a profile counts as contacts. */
function navSectionOf(current: Route): NavSection {
  if (current.name === 'settings' || current.name === 'search' || current.name === 'contacts') return current.name;
  if (current.name === 'profile') return 'contacts';
  return 'chats';
}

/**
 * Whether the new-chat form is open. Kept outside the component so that the
 * form stays open when the shell re-renders from scratch (an account that
 * finishes starting right after a click).
 */
const newChatOpen = signal(false);

function ListPane({ account }: { account: Account }) {
  const composing = newChatOpen.value;
  const setComposing = (open: boolean) => (newChatOpen.value = open);

  return (
    <section class="pane-list" aria-label={t('chats.title')}>
      <header class="pane-header">
        <h1 class="pane-title">{t('chats.title')}</h1>
        <div class="pane-header-actions">
          <button
            type="button"
            class="icon-button"
            data-testid="new-group-button"
            aria-label={t('groupAdmin.newGroup')}
            title={t('groupAdmin.newGroup')}
            onClick={() => navigate({ name: 'newGroup' })}
          >
            <NewGroupIcon />
          </button>
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
        </div>
      </header>
      {composing && <NewChatForm account={account} onClose={() => setComposing(false)} />}
      <GroupNoticeCards account={account} />
      <ConversationList account={account} />
    </section>
  );
}
