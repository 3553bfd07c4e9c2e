// A group conversation: header with the group name and member count, the
// messages with their senders' names and the group's changes as centered
// lines, and the composer, which a notice replaces once the user was removed
// or the group dissolved.

import { useEffect, useMemo } from 'preact/hooks';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { sendGroupText } from '../../state/group-actions';
import { ensureProfiles, profiles } from '../../state/profiles';
import { avatarKeyUrl } from '../../net/groups-api';
import { navigate } from '../../state/route';
import type { StoredMessage } from '../../store/db';
import { groupConversationId, type GroupMembershipState } from '../../store/group-records';
import { Avatar } from '../common/Avatar';
import { MoreIcon } from '../common/icons';
import { BackButton, useMarkReadWhileVisible } from './chat-parts';
import { Composer } from './Composer';
import { memberNamer, usersOfChange } from './group-names';
import { MessageList } from './MessageList';
import { PendingApplications } from './PendingApplications';
import { useGroupChat } from './use-group-chat';
import { useMessageWindow } from './use-message-window';

export function GroupChatView({ account, groupId }: { account: Account; groupId: string }) {
  const conversationId = groupConversationId(groupId);
  const messageWindow = useMessageWindow(account.db, conversationId);
  const { conversation, group } = useGroupChat(account, groupId);
  const info = group?.info ?? null;
  const state: GroupMembershipState = group?.state ?? conversation?.group?.state ?? 'member';
  const title = info?.name || conversation?.group?.name || t('groupChat.unnamed');
  const known = profiles.value;
  const nameOf = useMemo(() => memberNamer(account.userId, group?.nicknames ?? {}, known), [account.userId, group, known]);

  useEffect(() => ensureProfiles(account, namedUsers(messageWindow.messages)), [account, messageWindow.messages]);
  useMarkReadWhileVisible(account, conversationId, messageWindow.messages);

  return (
    <section class="chat chat-group" data-testid="chat-view" data-conversation-id={conversationId} data-group-state={state}>
      <header class="chat-header">
        <BackButton />
        <Avatar userId={groupId} name={title} size={38} url={avatarKeyUrl(info?.avatarKey ?? null)} />
        <div class="chat-heading">
          <h2 class="chat-title" data-testid="chat-title">
            {title}
          </h2>
          {info && state === 'member' && (
            <p class="chat-subtitle" data-testid="group-member-count">
              {t('groupChat.memberCount', { count: info.memberCount })}
            </p>
          )}
        </div>
        <button
          type="button"
          class="icon-button"
          data-testid="group-info-button"
          aria-label={t('groupChat.infoButton')}
          title={t('groupChat.infoButton')}
          onClick={() => navigate({ name: 'group', groupId })}
        >
          <MoreIcon />
        </button>
      </header>
      {info?.encryption === 'transport' && (
        <p class="group-encryption-notice" data-testid="group-encryption-notice">
          {t('groupChat.transportNotice')}
        </p>
      )}
      {state === 'member' && <PendingApplications groupId={groupId} role={info?.myRole ?? null} />}
      {messageWindow.messages && (
        <MessageList
          me={account.userId}
          messages={messageWindow.messages}
          hasOlder={messageWindow.hasOlder}
          loadingOlder={messageWindow.loadingOlder}
          onLoadOlder={messageWindow.loadOlder}
          emptyText={t('groupChat.empty')}
          peerName={title}
          senderName={nameOf}
        />
      )}
      <GroupComposer state={state} onSend={(text) => sendGroupText(account, groupId, text)} />
    </section>
  );
}

function GroupComposer({ state, onSend }: { state: GroupMembershipState; onSend: Parameters<typeof Composer>[0]['onSend'] }) {
  switch (state) {
    case 'member':
      return <Composer onSend={onSend} />;
    case 'removed':
      return (
        <p class="group-ended-notice" data-testid="group-removed-notice" role="status">
          {t('groupChat.removedNotice')}
        </p>
      );
    case 'dissolved':
      return (
        <p class="group-ended-notice" data-testid="group-dissolved-notice" role="status">
          {t('groupChat.dissolvedNotice')}
        </p>
      );
    default: {
      const unreachable: never = state;
      throw new Error(`unknown group state ${String(unreachable)}`);
    }
  }
}

/** Returns the senders and the members named in system lines, whose display names the chat shows. */
function namedUsers(messages: readonly StoredMessage[] | null): string[] {
  const userIds = new Set<string>();
  for (const message of messages ?? []) {
    userIds.add(message.from);
    if (message.content.type === 'system') for (const userId of usersOfChange(message.content.change)) userIds.add(userId);
  }
  return [...userIds];
}
