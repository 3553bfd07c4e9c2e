import { describe, expect, it } from 'vitest';
import type { ChatMessage, InboxEvent } from '../../../protocol/frames';
import { notificationPreferences, shouldNotify } from '../../../protocol/notifications';
import { FRIEND_ACTIONS, type ConversationSettings, type UserSettings } from '../../../protocol/relations';

const ME = 'me-user';
const PEER = 'peer-user';
const CONVERSATION = `d:${ME}:${PEER}`;

function settings(overrides: Partial<UserSettings> = {}): UserSettings {
  return { messagePrivacy: 'everyone', notifications: true, conversations: [], mutedUserIds: [], ...overrides };
}

function conversation(overrides: Partial<ConversationSettings>): ConversationSettings {
  return { conversationId: CONVERSATION, muted: false, notifications: true, ...overrides };
}

function messageEvent(from: string): InboxEvent {
  const message: ChatMessage = {
    id: 'm1',
    conversationId: CONVERSATION,
    from,
    to: from === ME ? PEER : ME,
    cid: 'cid-00000001',
    content: { type: 'text', text: 'hi' },
    ts: 1,
  };
  return { kind: 'message', seq: 1, ts: 1, message };
}

const peerSummary = { id: PEER, username: 'peer', displayName: 'Peer' };

describe('shouldNotify for messages', () => {
  it.each([
    { case: 'defaults', settings: settings(), expected: true },
    { case: 'global switch off', settings: settings({ notifications: false }), expected: false },
    { case: 'conversation notifications off', settings: settings({ conversations: [conversation({ notifications: false })] }), expected: false },
    { case: 'conversation muted', settings: settings({ conversations: [conversation({ muted: true })] }), expected: false },
    { case: 'sender muted', settings: settings({ mutedUserIds: [PEER] }), expected: false },
    {
      case: 'another conversation off',
      settings: settings({ conversations: [conversation({ conversationId: 'd:x:y', notifications: false })] }),
      expected: true,
    },
  ])('from a peer with $case: $expected', ({ settings: userSettings, expected }) => {
    expect(shouldNotify(ME, messageEvent(PEER), notificationPreferences(userSettings))).toBe(expected);
  });

  it('own message never notifies', () => {
    expect(shouldNotify(ME, messageEvent(ME), notificationPreferences(settings()))).toBe(false);
  });
});

describe('shouldNotify for other events', () => {
  const on = notificationPreferences(settings());
  const off = notificationPreferences(settings({ notifications: false }));
  const follow: InboxEvent = { kind: 'follow', seq: 2, ts: 2, follower: peerSummary };

  it('new follower notifies', () => {
    expect(shouldNotify(ME, follow, on)).toBe(true);
  });

  it('new follower silent when off', () => {
    expect(shouldNotify(ME, follow, off)).toBe(false);
  });

  it.each(FRIEND_ACTIONS.map((action) => ({ action, expected: action === 'requested' || action === 'accepted' })))(
    'friend $action: $expected',
    ({ action, expected }) => {
      const event: InboxEvent = { kind: 'friend', seq: 3, ts: 3, action, user: peerSummary };
      expect(shouldNotify(ME, event, on)).toBe(expected);
      expect(shouldNotify(ME, event, off)).toBe(false);
    },
  );

  it('read and settings events are silent', () => {
    const read: InboxEvent = { kind: 'read', seq: 4, ts: 4, conversationId: CONVERSATION, readSeq: 1 };
    const change: InboxEvent = {
      kind: 'settings',
      seq: 5,
      ts: 5,
      settings: { scope: 'account', messagePrivacy: 'friends', notifications: true },
    };

    expect(shouldNotify(ME, read, on)).toBe(false);
    expect(shouldNotify(ME, change, on)).toBe(false);
  });
});
