// A conversation: header with the peer, the message list and the composer.
// Group conversations (`g:<groupId>`) open GroupChatView instead.
// While open and visible, the conversation is marked read, here and on the
// user's other devices.

import { useEffect } from 'preact/hooks';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { sendText } from '../../state/chat-actions';
import { ensureProfiles, profiles } from '../../state/profiles';
import { groupIdOfConversation } from '../../store/group-records';
import { peerOfConversation } from '../../store/records';
import { Avatar } from '../common/Avatar';
import { conversationTitle } from '../chats/ConversationItem';
import { BackButton, useMarkReadWhileVisible } from './chat-parts';
import { ChatMenu } from './ChatMenu';
import { GroupChatView } from './GroupChatView';
import { Composer } from './Composer';
import { rejectionNotice } from './rejection-notice';
import { MessageList } from './MessageList';
import { SafetyNumber } from './SafetyNumber';
import { useMessageWindow } from './use-message-window';

export function ChatView({ account, conversationId }: { account: Account; conversationId: string }) {
  const groupId = groupIdOfConversation(conversationId);
  if (groupId !== null) return <GroupChatView account={account} groupId={groupId} />;

  const peerId = peerOfConversation(conversationId, account.userId);
  if (!peerId) {
    return (
      <section class="chat chat-missing" data-testid="chat-view" data-conversation-id={conversationId}>
        <BackButton />
        <p class="placeholder-text">{t('error.not_found')}</p>
      </section>
    );
  }
  return <OpenChat account={account} conversationId={conversationId} peerId={peerId} />;
}

function OpenChat({ account, conversationId, peerId }: { account: Account; conversationId: string; peerId: string }) {
  const messageWindow = useMessageWindow(account.db, conversationId);
  const profile = profiles.value.get(peerId);
  const noteToSelf = peerId === account.userId;
  const title = conversationTitle(peerId, account.userId, profile);
  let subtitle = '';
  if (noteToSelf) subtitle = t('chat.noteToSelfHint');
  else if (profile) subtitle = `@${profile.username}`;

  useEffect(() => ensureProfiles(account, [peerId]), [account, peerId]);
  useContactKeyCheck(account, peerId, noteToSelf);
  useMarkReadWhileVisible(account, conversationId, messageWindow.messages);

  return (
    <section class="chat" data-testid="chat-view" data-conversation-id={conversationId}>
      <header class="chat-header">
        <BackButton />
        <Avatar userId={peerId} name={title} size={38} url={profile?.avatarUrl} />
        <div class="chat-heading">
          <h2 class="chat-title" data-testid="chat-title">
            {title}
          </h2>
          <p class="chat-subtitle">{subtitle}</p>
        </div>
        {!noteToSelf && <SafetyNumber account={account} peerId={peerId} peerName={title} />}
        <ChatMenu conversationId={conversationId} peerId={peerId} noteToSelf={noteToSelf} />
      </header>
      {messageWindow.messages && (
        <MessageList
          me={account.userId}
          messages={messageWindow.messages}
          hasOlder={messageWindow.hasOlder}
          loadingOlder={messageWindow.loadingOlder}
          onLoadOlder={messageWindow.loadOlder}
          emptyText={t('chat.empty')}
          peerName={title}
        />
      )}
      <Composer
        onSend={(text) => sendText(account, peerId, text)}
        notice={rejectionNotice(messageWindow.messages, account.userId) ? t('chat.notAllowed') : null}
      />
    </section>
  );
}

/** Fetches the peer's devices when the chat opens, so a key change shows before the next message is sent. */
function useContactKeyCheck(account: Account, peerId: string, noteToSelf: boolean): void {
  useEffect(() => {
    if (noteToSelf) return;
    account.e2e
      .checkContact(peerId)
      .catch((error: unknown) => console.warn('[chat] checking the contact keys failed', { peerId, error }));
  }, [account, peerId, noteToSelf]);
}
