// The notification decision, shared by the edge (which will send Web Push
// with it) and the PWA (which uses it for sounds and the app badge). Unread
// counting does not depend on it: a message counts as unread whether or not
// it notifies.

import type { InboxEvent } from './frames';
import type { ConversationSettings, UserSettings } from './relations';

/** A user's settings in the form `shouldNotify` reads. */
export interface NotificationPreferences {
  /** The global switch. */
  notifications: boolean;
  /** Conversations with settings other than the defaults (not muted, notifications on), by id. */
  conversations: ReadonlyMap<string, Pick<ConversationSettings, 'muted' | 'notifications'>>;
  mutedUserIds: ReadonlySet<string>;
}

export function notificationPreferences(settings: UserSettings): NotificationPreferences {
  return {
    notifications: settings.notifications,
    conversations: new Map(settings.conversations.map((entry) => [entry.conversationId, entry])),
    mutedUserIds: new Set(settings.mutedUserIds),
  };
}

/**
 * Decides whether an inbox event of user `me` may raise a push, a sound or a
 * badge. Messages from others, 1:1 or in a group, notify unless the global
 * switch or the conversation's switch is off, or the conversation or the
 * sender is muted. A group's conversation settings use its group id. New
 * followers, friend requests and acceptances, and group changes notify
 * unless the global switch is off. The user's own messages, read markers,
 * settings and the other friendship steps never notify.
 */
export function shouldNotify(me: string, event: InboxEvent, preferences: NotificationPreferences): boolean {
  if (!preferences.notifications) return false;

  switch (event.kind) {
    case 'message': {
      const message = event.message;
      if (message.from === me || preferences.mutedUserIds.has(message.from)) return false;
      return conversationNotifies(preferences, message.conversationId);
    }
    case 'group.message': {
      const message = event.message;
      if (message.from === me || preferences.mutedUserIds.has(message.from)) return false;
      return conversationNotifies(preferences, event.groupId);
    }
    case 'follow':
    case 'group':
      return true;
    case 'friend':
      return event.action === 'requested' || event.action === 'accepted';
    case 'read':
    case 'settings':
      return false;
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown inbox event ${JSON.stringify(unreachable)}`);
    }
  }
}

function conversationNotifies(preferences: NotificationPreferences, conversationId: string): boolean {
  const conversation = preferences.conversations.get(conversationId);
  if (!conversation) return true;
  return conversation.notifications && !conversation.muted;
}
