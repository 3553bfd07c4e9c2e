// Relations and settings as the screens read them. Settings come from the
// server at start and again whenever a `settings` inbox event arrives, so
// every device follows a change made on another. Follow and friend events
// bump `relationsVersion`, and open contact and profile screens reload.

import { signal } from '@preact/signals';
import type { InboxEvent } from '../../../protocol/frames';
import type { ConversationSettings, UserSettings } from '../../../protocol/relations';
import { getSettings } from '../net/relations-api';
import type { InboxStore } from '../net/socket-io';
import { notifyGroupEvent } from './group-events';
import { noteGroupNotices } from './group-notices';

/** The signed-in user's settings; null until loaded (or while the server is unreachable). */
export const userSettings = signal<UserSettings | null>(null);

/** Bumped when a follow or friend event arrives; views that list relations reload when it changes. */
export const relationsVersion = signal(0);

const DEFAULT_CONVERSATION: Omit<ConversationSettings, 'conversationId'> = { muted: false, notifications: true };

let loading: Promise<void> | null = null;

/** Loads the settings from the server; failures keep the last copy and are logged. */
export function refreshSettings(): Promise<void> {
  loading ??= getSettings()
    .then((settings) => {
      userSettings.value = settings;
    })
    .catch((error: unknown) => console.warn('[relations] loading settings failed', error))
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function resetRelations(): void {
  userSettings.value = null;
  relationsVersion.value++;
}

/** Reacts to inbox events, live or from a sync page, after they were stored. */
export function observeInboxEvents(events: readonly InboxEvent[]): void {
  if (events.some((event) => event.kind === 'settings')) void refreshSettings();
  if (events.some((event) => event.kind === 'follow' || event.kind === 'friend')) relationsVersion.value++;
  if (events.some((event) => event.kind === 'group')) notifyGroupEvent();
  noteGroupNotices(events);
}

/** Settings of one conversation, the defaults when none are stored. */
export function conversationSettingsOf(conversationId: string): ConversationSettings {
  const stored = userSettings.value?.conversations.find((entry) => entry.conversationId === conversationId);
  return stored ?? { conversationId, ...DEFAULT_CONVERSATION };
}

/** Puts a conversation's new settings into the local copy, keeping only non-default ones as the server does. */
export function applyConversationSettings(settings: ConversationSettings): void {
  const current = userSettings.value;
  if (!current) return;

  const others = current.conversations.filter((entry) => entry.conversationId !== settings.conversationId);
  const isDefault = !settings.muted && settings.notifications;
  userSettings.value = { ...current, conversations: isDefault ? others : [...others, settings] };
}

/** Wraps an inbox store so that `observe` sees every batch of events after it was applied. */
export function withEventObserver(store: InboxStore, observe: (events: readonly InboxEvent[]) => void): InboxStore {
  return {
    ...store,
    async applyEvents(events, ahead) {
      const result = await store.applyEvents(events, ahead);
      observe(events);
      return result;
    },
  };
}
