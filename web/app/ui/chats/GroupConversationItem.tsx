// One group row of the conversation list: the group name, the last message
// with its sender's name, the membership state when the user left or the
// group ended, time and unread badge.

import { t } from '../../i18n';
import type { CachedProfile, GroupConversation, StoredConversation } from '../../store/db';
import { navigate } from '../../state/route';
import { Avatar } from '../common/Avatar';
import { formatListTime } from '../common/format';
import { memberNamer, systemLineText } from '../chat/group-names';

interface Props {
  conversation: StoredConversation;
  group: GroupConversation;
  profiles: ReadonlyMap<string, CachedProfile>;
  me: string;
  selected: boolean;
  now: number;
}

export function GroupConversationItem({ conversation, group, profiles, me, selected, now }: Props) {
  const title = group.name || t('groupChat.unnamed');
  const nameOf = memberNamer(me, {}, profiles);

  return (
    <li>
      <a
        class="conversation"
        href={`/chat/${encodeURIComponent(conversation.id)}`}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        data-group-id={group.groupId}
        data-group-state={group.state}
        aria-current={selected ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          navigate({ name: 'chat', conversationId: conversation.id });
        }}
      >
        <Avatar userId={group.groupId} name={title} />
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
              <span data-testid="conversation-last" dir="auto">
                {previewLine(conversation, nameOf)}
              </span>
            </span>
            {group.state !== 'member' && (
              <span class="conversation-group-state" data-testid="conversation-group-state">
                {group.state === 'removed' ? t('groupChat.state.removed') : t('groupChat.state.dissolved')}
              </span>
            )}
            {conversation.unread > 0 && (
              <span class="badge" data-testid="conversation-unread" aria-label={t('chats.unread', { count: conversation.unread })}>
                {conversation.unread}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}

/** Returns the last message prefixed with its sender's name, or a system line as the chat words it. */
function previewLine(conversation: StoredConversation, nameOf: (userId: string) => string): string {
  const last = conversation.lastMessage;
  if (!last) return '';
  if (last.change) return systemLineText(last.change, nameOf);

  const text = last.text ?? t('chat.encrypted');
  return `${t('groupChat.previewSender', { name: nameOf(last.from) })} ${text}`;
}
