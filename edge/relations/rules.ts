// Who may message, follow and friend-request whom. Pure decisions over facts
// read from D1, so every case is tested without a database.

import { FRIEND_REQUEST_TTL_MS } from '../../protocol/limits';
import type { MessagePrivacy } from '../../protocol/relations';

/** Facts D1 contains about a sender and a recipient at the moment of a send. */
export interface MessageRelation {
  recipientPrivacy: MessagePrivacy;
  /** The recipient blocked the sender, or the sender blocked the recipient. */
  blocked: boolean;
  recipientFollowsSender: boolean;
  friends: boolean;
  /** The recipient muted the sender or the conversation. */
  muted: boolean;
}

/**
 * `deliver`: store in both inboxes. `ack_only`: store in the sender's inbox
 * and acknowledge as usual, but never reach the recipient. `reject`: store
 * nothing and respond with `not_allowed`.
 */
export type MessageDecision = 'deliver' | 'ack_only' | 'reject';

/**
 * Decides a message between two different users. A block in either direction
 * rejects, and so does the recipient's privacy setting. A block and a privacy
 * rejection look the same to the sender, so a blocked user is not notified.
 */
export function decideMessage(relation: MessageRelation): MessageDecision {
  if (relation.blocked) return 'reject';
  if (!privacyAllows(relation)) return 'reject';
  if (relation.muted) return 'ack_only';
  return 'deliver';
}

/**
 * The levels nest: `everyone` admits all, `following` admits the people the
 * recipient follows and the recipient's friends, `friends` admits friends only.
 */
export function privacyAllows(relation: Pick<MessageRelation, 'recipientPrivacy' | 'recipientFollowsSender' | 'friends'>): boolean {
  const privacy = relation.recipientPrivacy;
  switch (privacy) {
    case 'everyone':
      return true;
    case 'following':
      return relation.recipientFollowsSender || relation.friends;
    case 'friends':
      return relation.friends;
    default: {
      const unreachable: never = privacy;
      throw new Error(`Unknown message privacy ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Facts D1 contains about a requester and a target when a friend request arrives. */
export interface FriendRequestState {
  /** Either user blocked the other. */
  blocked: boolean;
  alreadyFriends: boolean;
  /** The target sent the requester a request that has not expired. */
  reversePending: boolean;
}

/**
 * `store`: save (or replace) the pending request. `become_friends`: the
 * target had asked first, so both are friends at once. `already_friends`:
 * nothing changes. `reject`: respond with `not_allowed`.
 */
export type FriendRequestDecision = 'store' | 'become_friends' | 'already_friends' | 'reject';

/** Privacy settings govern messages only, so follows and friend requests are stopped by blocks alone. */
export function decideFriendRequest(state: FriendRequestState): FriendRequestDecision {
  if (state.blocked) return 'reject';
  if (state.alreadyFriends) return 'already_friends';
  if (state.reversePending) return 'become_friends';
  return 'store';
}

export function mayFollow(state: { blocked: boolean }): boolean {
  return !state.blocked;
}

/** Returns when a request sent at `now` expires. */
export function friendRequestExpiry(now: number): number {
  return now + FRIEND_REQUEST_TTL_MS;
}

/** A request is pending until `now` reaches its expiry; from then on it counts as absent. */
export function isFriendRequestPending(request: { expiresAt: number }, now: number): boolean {
  return now < request.expiresAt;
}
