import { describe, expect, it } from 'vitest';
import { FRIEND_REQUEST_TTL_MS } from '../../../protocol/limits';
import { MESSAGE_PRIVACY_VALUES, type MessagePrivacy } from '../../../protocol/relations';
import {
  decideFriendRequest,
  decideMessage,
  friendRequestExpiry,
  isFriendRequestPending,
  mayFollow,
  type MessageDecision,
  type MessageRelation,
} from '../../../edge/relations/rules';

type Tie = 'none' | 'recipient follows sender' | 'friends';

function relation(privacy: MessagePrivacy, tie: Tie, overrides: Partial<MessageRelation> = {}): MessageRelation {
  return {
    recipientPrivacy: privacy,
    blocked: false,
    recipientFollowsSender: tie === 'recipient follows sender',
    friends: tie === 'friends',
    muted: false,
    ...overrides,
  };
}

/** Whether each privacy level admits each tie; the levels nest. */
const ADMITS: Record<MessagePrivacy, Record<Tie, boolean>> = {
  everyone: { none: true, 'recipient follows sender': true, friends: true },
  following: { none: false, 'recipient follows sender': true, friends: true },
  friends: { none: false, 'recipient follows sender': false, friends: true },
};

const TIES: Tie[] = ['none', 'recipient follows sender', 'friends'];

describe('decideMessage', () => {
  for (const privacy of MESSAGE_PRIVACY_VALUES) {
    for (const tie of TIES) {
      const expected: MessageDecision = ADMITS[privacy][tie] ? 'deliver' : 'reject';

      it(`${privacy} privacy, ${tie}: ${expected}`, () => {
        expect(decideMessage(relation(privacy, tie))).toBe(expected);
      });

      it(`${privacy} privacy, ${tie}, blocked: reject`, () => {
        expect(decideMessage(relation(privacy, tie, { blocked: true }))).toBe('reject');
      });

      it(`${privacy} privacy, ${tie}, muted: ${ADMITS[privacy][tie] ? 'ack_only' : 'reject'}`, () => {
        expect(decideMessage(relation(privacy, tie, { muted: true }))).toBe(ADMITS[privacy][tie] ? 'ack_only' : 'reject');
      });
    }
  }
});

describe('decideFriendRequest', () => {
  it('stores a first request', () => {
    expect(decideFriendRequest({ blocked: false, alreadyFriends: false, reversePending: false })).toBe('store');
  });

  it('crossing request makes friends', () => {
    expect(decideFriendRequest({ blocked: false, alreadyFriends: false, reversePending: true })).toBe('become_friends');
  });

  it('friends already stay friends', () => {
    expect(decideFriendRequest({ blocked: false, alreadyFriends: true, reversePending: false })).toBe('already_friends');
  });

  it('block rejects even a crossing request', () => {
    expect(decideFriendRequest({ blocked: true, alreadyFriends: false, reversePending: true })).toBe('reject');
  });
});

describe('mayFollow', () => {
  it('allows without a block', () => {
    expect(mayFollow({ blocked: false })).toBe(true);
  });

  it('rejects across a block', () => {
    expect(mayFollow({ blocked: true })).toBe(false);
  });
});

describe('friend request expiry', () => {
  const sentAt = 1_700_000_000_000;
  const expiresAt = friendRequestExpiry(sentAt);

  it('expires FRIEND_REQUEST_TTL_MS after sending', () => {
    expect(expiresAt - sentAt).toBe(FRIEND_REQUEST_TTL_MS);
  });

  it('pending one millisecond before expiry', () => {
    expect(isFriendRequestPending({ expiresAt }, expiresAt - 1)).toBe(true);
  });

  it('expired at the expiry time', () => {
    expect(isFriendRequestPending({ expiresAt }, expiresAt)).toBe(false);
  });
});
