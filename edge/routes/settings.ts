// Message privacy, notifications and mutes. Every change appends a
// `settings` event to the caller's own inbox, so their other devices apply it.

import { Hono } from 'hono';
import { updateConversationSettingsRequestSchema, updateSettingsRequestSchema } from '../../protocol/relations';
import { requireSession } from '../auth/authenticate';
import { readUserSettings, setUserMuted, updateAccountSettings, updateConversationSettings } from '../db/settings';
import { findUserById } from '../db/users';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { peerInConversation } from '../relations/conversation-id';
import { appendInboxEvent } from '../relations/inbox-events';
import { requireOtherUser } from '../relations/target-user';

export const settingsRoutes = new Hono<AppEnv>();

settingsRoutes.get('/me/settings', requireSession, async (c) => {
  const settings = await readUserSettings(c.var.db, c.var.session.userId);
  if (!settings) throw notFound('Your account');
  return c.json(settings);
});

/** Changes message privacy and the global notification switch, then returns all settings. */
settingsRoutes.patch('/me/settings', requireSession, async (c) => {
  const body = await readJsonBody(c, updateSettingsRequestSchema);
  const me = c.var.session.userId;

  const account = await updateAccountSettings(c.var.db, me, body);
  if (!account) throw notFound('Your account');
  const changed = body.messagePrivacy !== undefined || body.notifications !== undefined;
  if (changed) await appendInboxEvent(c.env, c.var.log, me, { kind: 'settings', settings: { scope: 'account', ...account } });

  const settings = await readUserSettings(c.var.db, me);
  if (!settings) throw notFound('Your account');
  return c.json(settings);
});

/** Mutes a conversation or turns its notifications off or on, then returns its settings. */
settingsRoutes.patch('/me/conversations/:conversationId/settings', requireSession, async (c) => {
  const body = await readJsonBody(c, updateConversationSettingsRequestSchema);
  const me = c.var.session.userId;
  const conversationId = c.req.param('conversationId');
  const peerId = peerInConversation(conversationId, me);
  if (peerId === undefined) {
    throw new ApiError(400, 'invalid_request', `${JSON.stringify(conversationId)} is not a conversation of yours.`, {
      field: 'conversationId',
    });
  }
  if (!(await findUserById(c.var.db, peerId))) throw notFound(`A user with the id ${JSON.stringify(peerId)}`);

  const settings = await updateConversationSettings(c.var.db, me, conversationId, body, Date.now());
  await appendInboxEvent(c.env, c.var.log, me, { kind: 'settings', settings: { scope: 'conversation', ...settings } });
  return c.json(settings);
});

settingsRoutes.put('/me/muted-users/:userId', requireSession, async (c) => {
  const me = c.var.session.userId;
  const target = await requireOtherUser(c.var.db, me, c.req.param('userId'), 'mute');

  await setUserMuted(c.var.db, me, target.id, true, Date.now());
  await appendInboxEvent(c.env, c.var.log, me, { kind: 'settings', settings: { scope: 'user', userId: target.id, muted: true } });
  return c.body(null, 204);
});

settingsRoutes.delete('/me/muted-users/:userId', requireSession, async (c) => {
  const me = c.var.session.userId;
  const target = await requireOtherUser(c.var.db, me, c.req.param('userId'), 'unmute');

  await setUserMuted(c.var.db, me, target.id, false, Date.now());
  await appendInboxEvent(c.env, c.var.log, me, { kind: 'settings', settings: { scope: 'user', userId: target.id, muted: false } });
  return c.body(null, 204);
});
