// One row of the conversation list: avatar, name, last message, time and
// unread badge.

import { t } from '../../i18n';
import type { CachedProfile, StoredConversation } from '../../store/db';
import { conversationSettingsOf } from '../../state/relations';
import { navigate } from '../../state/route';
import { Avatar } from '../common/Avatar';
import { BellOffIcon } from '../common/icons';
import { formatListTime } from '../common/format';

interface Props {
  conversation: StoredConversation;
  profile: CachedProfile | undefined;
  me: string;
  selected: boolean;
  now: number;
}

export function conversationTitle(peerId: string, me: string, profile: CachedProfile | undefined): string {
  if (peerId === me) return t('chats.noteToSelf');
  return profile?.displayName ?? t('chats.unknownUser');
}

export function ConversationItem({ conversation, profile, me, selected, now }: Props) {
  const title = conversationTitle(conversation.peerId, me, profile);
  const last = conversation.lastMessage;
  const href = `/chat/${encodeURIComponent(conversation.id)}`;
  const settings = conversationSettingsOf(conversation.id);
  // Unread counts still show while notifications are off, in a muted colour, as in other messengers.
  const quiet = settings.muted || !settings.notifications;

  return (
    <li>
      <a
        class="conversation"
        href={href}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        data-peer-username={profile?.username ?? ''}
        aria-current={selected ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          navigate({ name: 'chat', conversationId: conversation.id });
        }}
      >
        <Avatar userId={conversation.peerId} name={title} url={profile?.avatarUrl} />
        <span class="conversation-body">
          <span class="conversation-top">
            <span class="conversation-title" data-testid="conversation-title">
              {title}
            </span>
            {conversation.lastActivity > 0 && (
              <time class="conversation-time" dateTime={new Date(conversation.lastActivity).toISOString()}>
                {formatListTime(conversation.lastActivity, now)}
              </time>
            )}
          </span>
          <span class="conversation-bottom">
            <span class="conversation-preview">
              {last && last.from === me && conversation.peerId !== me && (
                <span class="conversation-own">{t('chats.ownPrefix')} </span>
              )}
              <span data-testid="conversation-last" dir="auto">
                {last && last.text === null ? t('chat.encrypted') : (last?.text ?? '')}
              </span>
            </span>
            {quiet && (
              <span class="conversation-quiet" data-testid="conversation-quiet" title={t('chats.quiet')} aria-label={t('chats.quiet')}>
                <BellOffIcon size={16} />
              </span>
            )}
            {conversation.unread > 0 && (
              <span
                class={quiet ? 'badge badge-quiet' : 'badge'}
                data-testid="conversation-unread"
                aria-label={t('chats.unread', { count: conversation.unread })}
              >
                {conversation.unread}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}
