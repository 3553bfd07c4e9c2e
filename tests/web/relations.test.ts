import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import { FRIEND_REQUEST_MESSAGE_MAX_CHARS, REGION_MAX_CHARS } from '../../protocol/limits';
import type { UserSettings } from '../../protocol/relations';
import type { InboxStore } from '../../web/app/net/socket-io';
import { validateRegion, validateRequestMessage } from '../../web/app/relations-validation';
import {
  applyConversationSettings,
  conversationSettingsOf,
  observeInboxEvents,
  relationsVersion,
  userSettings,
  withEventObserver,
} from '../../web/app/state/relations';
import { rejectionNotice } from '../../web/app/ui/chat/rejection-notice';
import { centredSquare } from '../../web/app/ui/settings/avatar-image';

type RouteModule = typeof import('../../web/app/state/route');
let routes: RouteModule;

beforeAll(async () => {
  // route.ts reads the address bar and listens for popstate when it loads.
  vi.stubGlobal('location', { pathname: '/' });
  vi.stubGlobal('window', { addEventListener: () => undefined });
  routes = await import('../../web/app/state/route');
  vi.unstubAllGlobals();
});

afterEach(() => {
  vi.unstubAllGlobals();
  userSettings.value = null;
});

const SETTINGS: UserSettings = { messagePrivacy: 'everyone', notifications: true, conversations: [], mutedUserIds: [] };

describe('relation routes', () => {
  test.each([
    ['/contacts', { name: 'contacts', tab: 'friends' }],
    ['/contacts/requests', { name: 'contacts', tab: 'requests' }],
    ['/contacts/blocked', { name: 'contacts', tab: 'blocked' }],
    ['/search', { name: 'search' }],
    ['/user/abc%2Fdef', { name: 'profile', userId: 'abc/def' }],
  ])('%s parses', (path, expected) => {
    expect(routes.parseRoute(path)).toEqual(expected);
  });

  test('unknown tab falls back to friends', () => {
    expect(routes.parseRoute('/contacts/nonsense')).toEqual({ name: 'contacts', tab: 'friends' });
  });

  test('malformed profile path opens chats', () => {
    expect(routes.parseRoute('/user/%E0%A4%A')).toEqual({ name: 'chats' });
  });

  test('paths round-trip', () => {
    for (const tab of routes.CONTACTS_TABS) {
      const route = { name: 'contacts', tab } as const;
      expect(routes.parseRoute(routes.pathOf(route))).toEqual(route);
    }
    const profile = { name: 'profile', userId: 'u/1 张' } as const;
    expect(routes.parseRoute(routes.pathOf(profile))).toEqual(profile);
  });
});

describe('rejection notice', () => {
  const me = 'me';

  test('last own message rejected shows it', () => {
    const messages = [
      { from: me, status: 'sent' as const },
      { from: 'peer', status: 'sent' as const },
      { from: me, status: 'failed' as const, failure: { code: 'not_allowed' as const } },
      { from: 'peer', status: 'sent' as const },
    ];
    expect(rejectionNotice(messages, me)).toBe(true);
  });

  test('later sent message clears it', () => {
    const messages = [
      { from: me, status: 'failed' as const, failure: { code: 'not_allowed' as const } },
      { from: me, status: 'sent' as const },
    ];
    expect(rejectionNotice(messages, me)).toBe(false);
  });

  test('other failures do not show it', () => {
    const messages = [{ from: me, status: 'failed' as const, failure: { code: 'text_too_long' as const } }];
    expect(rejectionNotice(messages, me)).toBe(false);
  });

  test('no messages, no notice', () => {
    expect(rejectionNotice(null, me)).toBe(false);
    expect(rejectionNotice([], me)).toBe(false);
  });
});

describe('avatar crop', () => {
  test.each([
    { width: 400, height: 300, crop: { x: 50, y: 0, size: 300 } },
    { width: 300, height: 401, crop: { x: 0, y: 50, size: 300 } },
    { width: 256, height: 256, crop: { x: 0, y: 0, size: 256 } },
  ])('$width × $height crops the centre', ({ width, height, crop }) => {
    expect(centredSquare(width, height)).toEqual(crop);
  });
});

describe('relation field checks', () => {
  test('request message at the maximum passes', () => {
    expect(validateRequestMessage('好'.repeat(FRIEND_REQUEST_MESSAGE_MAX_CHARS))).toBeNull();
  });

  test('request message past the maximum names it', () => {
    expect(validateRequestMessage('好'.repeat(FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1))).toEqual({
      code: 'request_message_too_long',
      field: 'message',
      limit: FRIEND_REQUEST_MESSAGE_MAX_CHARS,
      value: FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1,
    });
  });

  test('region at and past the maximum', () => {
    expect(validateRegion('沪'.repeat(REGION_MAX_CHARS))).toBeNull();
    expect(validateRegion('沪'.repeat(REGION_MAX_CHARS + 1))?.code).toBe('region_too_long');
  });
});

describe('settings state', () => {
  test('defaults until a conversation is set', () => {
    userSettings.value = SETTINGS;
    expect(conversationSettingsOf('d:a:b')).toEqual({ conversationId: 'd:a:b', muted: false, notifications: true });
  });

  test('non-default settings are kept', () => {
    userSettings.value = SETTINGS;
    applyConversationSettings({ conversationId: 'd:a:b', muted: false, notifications: false });
    expect(conversationSettingsOf('d:a:b').notifications).toBe(false);
    expect(userSettings.value?.conversations).toHaveLength(1);
  });

  test('back to defaults drops the entry', () => {
    userSettings.value = { ...SETTINGS, conversations: [{ conversationId: 'd:a:b', muted: true, notifications: true }] };
    applyConversationSettings({ conversationId: 'd:a:b', muted: false, notifications: true });
    expect(userSettings.value?.conversations).toEqual([]);
  });

  test('settings event reloads from the server', async () => {
    const fresh: UserSettings = { ...SETTINGS, messagePrivacy: 'friends' };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(fresh), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const event: InboxEvent = { kind: 'settings', seq: 1, ts: 1, settings: { scope: 'account', messagePrivacy: 'friends', notifications: true } };

    observeInboxEvents([event]);
    await vi.waitFor(() => expect(userSettings.value).toEqual(fresh));

    expect(fetchMock).toHaveBeenCalledWith('/api/v1/me/settings', expect.objectContaining({ method: 'GET' }));
  });

  test('follow and friend events bump the version', () => {
    const before = relationsVersion.value;
    const user = { id: 'u1', username: 'peer', displayName: 'Peer' };

    observeInboxEvents([{ kind: 'follow', seq: 1, ts: 1, follower: user }]);
    observeInboxEvents([{ kind: 'friend', seq: 2, ts: 2, action: 'requested', user }]);

    expect(relationsVersion.value).toBe(before + 2);
  });

  test('observer sees events after they are applied', async () => {
    const order: string[] = [];
    const store = {
      applyEvents: async () => {
        order.push('applied');
        return { lastSeq: 1 };
      },
    } as unknown as InboxStore;

    const wrapped = withEventObserver(store, () => order.push('observed'));
    await wrapped.applyEvents([]);

    expect(order).toEqual(['applied', 'observed']);
  });
});
