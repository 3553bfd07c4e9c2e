// One group row of the conversation list: the group name, the last message
// with its sender's name, the membership state when the user left or the
// group ended, time and unread badge.

import { t } from '../../i18n';
import type { CachedProfile, GroupConversation, StoredConversation } from '../../store/db';
import { avatarKeyUrl } from '../../net/groups-api';
import { Avatar } from '../common/Avatar';
import { memberNamer, systemLineText } from '../chat/group-names';
import { ConversationRow } from './ConversationRow';

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
    <ConversationRow
      conversation={conversation}
      title={title}
      avatar={<Avatar userId={group.groupId} name={title} url={avatarKeyUrl(group.avatarKey ?? null)} />}
      preview={
        <span data-testid="conversation-last" dir="auto">
          {previewLine(conversation, nameOf)}
        </span>
      }
      status={
        group.state !== 'member' && (
          <span class="conversation-group-state" data-testid="conversation-group-state">
            {group.state === 'removed' ? t('groupChat.state.removed') : t('groupChat.state.dissolved')}
          </span>
        )
      }
      data={{ 'data-group-id': group.groupId, 'data-group-state': group.state }}
      selected={selected}
      now={now}
    />
  );
}

/** Returns the last message prefixed with its sender's name, or a system line as the chat words it. */
function previewLine(conversation: StoredConversation, nameOf: (userId: string) => string): string {
  const last = conversation.lastMessage;
  if (!last) return '';
  if (last.change) return systemLineText(last.change, nameOf);

  const text = last.text ?? t('chat.encrypted');
  return t('groupChat.previewLine', { name: nameOf(last.from), text });
}
