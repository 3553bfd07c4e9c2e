// Appends follow, friend and settings events to a user's inbox through their
// Durable Object, after the D1 change the event reports.

import type { Env } from '../env';
import type { Logger } from '../log';
import type { RelationEvent } from '../objects/inbox-events';
import { userObject } from '../objects/user-object';
import { notifyRelationsChanged } from './relation-changes';

/**
 * Appends `event` to the inbox of `userId` and pushes it to their sockets.
 * Every such event follows a change the send path caches, so the cached
 * relations are dropped first. A failure is logged and not raised, because
 * the D1 change is already in effect and the lists and profiles read from D1 show it.
 */
export async function appendInboxEvent(env: Env, log: Logger, userId: string, event: RelationEvent): Promise<void> {
  await notifyRelationsChanged(env, log, userId);
  try {
    await userObject(env, userId).appendEvent(event);
  } catch (error) {
    // TODO: the user's devices miss this event (the D1 state is right); a
    // retry from a Queue would deliver it.
    log.error('appending an inbox event failed', { userId, kind: event.kind, error });
  }
}
