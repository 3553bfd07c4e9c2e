// The frame of one conversation list row, for 1:1 chats and groups alike:
// the link, avatar, title, time and unread badge. The caller fills in the
// preview, the status marks and the data attributes tests and styles read.

import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';
import type { StoredConversation } from '../../store/db';
import { navigate } from '../../state/route';
import { formatListTime } from '../common/format';

interface Props {
  conversation: StoredConversation;
  title: string;
  avatar: ComponentChildren;
  /** The content of the preview line under the title. */
  preview: ComponentChildren;
  /** Marks shown between the preview and the unread badge. */
  status?: ComponentChildren;
  /** Shows the unread badge in the muted colour. */
  quiet?: boolean;
  /** `data-*` attributes of the row's link. */
  data: Record<`data-${string}`, string>;
  selected: boolean;
  now: number;
}

export function ConversationRow({ conversation, title, avatar, preview, status, quiet = false, data, selected, now }: Props) {
  return (
    <li>
      <a
        class="conversation"
        href={`/chat/${encodeURIComponent(conversation.id)}`}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        {...data}
        aria-current={selected ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          navigate({ name: 'chat', conversationId: conversation.id });
        }}
      >
        {avatar}
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
            <span class="conversation-preview">{preview}</span>
            {status}
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
