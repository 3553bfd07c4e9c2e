// D1 access to a user's settings: message privacy and the global
// notification switch (columns of `users`), per-conversation settings and
// muted users.

import { and, eq, or } from 'drizzle-orm';
import type {
  ConversationSettings,
  MessagePrivacy,
  UpdateConversationSettingsRequest,
  UserSettings,
} from '../../protocol/relations';
import type { Database } from './client';
import { conversationSettings, userMutes, users } from './schema';

/** Returns the user's settings, or undefined for an unknown user. Only non-default conversations are listed. */
export async function readUserSettings(db: Database, userId: string): Promise<UserSettings | undefined> {
  const [account, conversations, mutes] = await db.batch([
    db
      .select({ messagePrivacy: users.messagePrivacy, notifications: users.notifications })
      .from(users)
      .where(eq(users.id, userId)),
    db
      .select({
        conversationId: conversationSettings.conversationId,
        muted: conversationSettings.muted,
        notifications: conversationSettings.notifications,
      })
      .from(conversationSettings)
      .where(
        and(
          eq(conversationSettings.userId, userId),
          or(eq(conversationSettings.muted, true), eq(conversationSettings.notifications, false)),
        ),
      )
      .orderBy(conversationSettings.conversationId),
    db
      .select({ mutedUserId: userMutes.mutedUserId })
      .from(userMutes)
      .where(eq(userMutes.userId, userId))
      .orderBy(userMutes.mutedUserId),
  ]);

  const accountRow = account[0];
  if (!accountRow) return undefined;
  return {
    messagePrivacy: accountRow.messagePrivacy,
    notifications: accountRow.notifications,
    conversations,
    mutedUserIds: mutes.map((row) => row.mutedUserId),
  };
}

export interface AccountSettings {
  messagePrivacy: MessagePrivacy;
  notifications: boolean;
}

/** Applies the fields present in `changes`; returns the new account settings, or undefined for an unknown user. */
export async function updateAccountSettings(
  db: Database,
  userId: string,
  changes: Partial<AccountSettings>,
): Promise<AccountSettings | undefined> {
  const columns = { messagePrivacy: users.messagePrivacy, notifications: users.notifications };
  // drizzle leaves fields whose value is undefined out of the UPDATE.
  if (changes.messagePrivacy === undefined && changes.notifications === undefined) {
    return db.select(columns).from(users).where(eq(users.id, userId)).get();
  }
  return db.update(users).set(changes).where(eq(users.id, userId)).returning(columns).get();
}

/** Applies the fields present in `changes` to one conversation of `userId` and returns its settings. */
export async function updateConversationSettings(
  db: Database,
  userId: string,
  conversationId: string,
  changes: UpdateConversationSettingsRequest,
  now: number,
): Promise<ConversationSettings> {
  const row = await db
    .insert(conversationSettings)
    .values({
      userId,
      conversationId,
      muted: changes.muted ?? false,
      notifications: changes.notifications ?? true,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [conversationSettings.userId, conversationSettings.conversationId],
      set: { muted: changes.muted, notifications: changes.notifications, updatedAt: now },
    })
    .returning({
      conversationId: conversationSettings.conversationId,
      muted: conversationSettings.muted,
      notifications: conversationSettings.notifications,
    })
    .get();
  return row;
}

/** Mutes or unmutes `mutedUserId` for `userId`; repeating either changes nothing. */
export async function setUserMuted(db: Database, userId: string, mutedUserId: string, muted: boolean, now: number): Promise<void> {
  if (muted) {
    await db.insert(userMutes).values({ userId, mutedUserId, createdAt: now }).onConflictDoNothing().run();
    return;
  }
  await db
    .delete(userMutes)
    .where(and(eq(userMutes.userId, userId), eq(userMutes.mutedUserId, mutedUserId)))
    .run();
}
