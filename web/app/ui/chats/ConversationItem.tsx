// One row of the conversation list: avatar, name, last message, time and
// unread badge.

import { t } from '../../i18n';
import type { CachedProfile, StoredConversation } from '../../store/db';
import { conversationSettingsOf } from '../../state/relations';
import { Avatar } from '../common/Avatar';
import { BellOffIcon } from '../common/icons';
import { ConversationRow } from './ConversationRow';

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
  const settings = conversationSettingsOf(conversation.id);
  // Unread counts still show while notifications are off, in a muted colour, as in other messengers.
  const quiet = settings.muted || !settings.notifications;

  return (
    <ConversationRow
      conversation={conversation}
      title={title}
      avatar={<Avatar userId={conversation.peerId} name={title} url={profile?.avatarUrl} />}
      preview={
        <>
          {last && last.from === me && conversation.peerId !== me && <span class="conversation-own">{t('chats.ownPrefix')} </span>}
          <span data-testid="conversation-last" dir="auto">
            {last && last.text === null ? t('chat.encrypted') : (last?.text ?? '')}
          </span>
        </>
      }
      status={
        quiet && (
          <span class="conversation-quiet" data-testid="conversation-quiet" title={t('chats.quiet')} aria-label={t('chats.quiet')}>
            <BellOffIcon size={16} />
          </span>
        )
      }
      quiet={quiet}
      data={{ 'data-peer-username': profile?.username ?? '' }}
      selected={selected}
      now={now}
    />
  );
}
