// Client-side routes on the History API. The edge serves index.html for every
// unknown path, and the service worker does the same offline.

import { signal } from '@preact/signals';

export const CONTACTS_TABS = ['friends', 'following', 'followers', 'requests', 'blocked'] as const;
export type ContactsTab = (typeof CONTACTS_TABS)[number];

export type Route =
  | { name: 'chats' }
  | { name: 'chat'; conversationId: string }
  | { name: 'settings' }
  | { name: 'contacts'; tab: ContactsTab }
  | { name: 'search' }
  | { name: 'profile'; userId: string }
  | { name: 'group'; groupId: string }
  | { name: 'newGroup' }
  | { name: 'signin' }
  | { name: 'register' };

const CHAT_PREFIX = '/chat/';
const CONTACTS_PATH = '/contacts';
const PROFILE_PREFIX = '/user/';
const GROUP_PREFIX = '/group/';
const NEW_GROUP_PATH = '/groups/new';

export function parseRoute(pathname: string): Route {
  if (pathname === '/settings') return { name: 'settings' };
  if (pathname === '/signin') return { name: 'signin' };
  if (pathname === '/register') return { name: 'register' };
  if (pathname === '/search') return { name: 'search' };
  if (pathname === NEW_GROUP_PATH) return { name: 'newGroup' };
  if (pathname === CONTACTS_PATH) return { name: 'contacts', tab: 'friends' };
  if (pathname.startsWith(`${CONTACTS_PATH}/`)) return { name: 'contacts', tab: contactsTabOf(pathname.slice(CONTACTS_PATH.length + 1)) };

  const conversationId = decodedSuffix(pathname, CHAT_PREFIX);
  if (conversationId !== undefined) return { name: 'chat', conversationId };
  const userId = decodedSuffix(pathname, PROFILE_PREFIX);
  if (userId !== undefined) return { name: 'profile', userId };
  const groupId = decodedSuffix(pathname, GROUP_PREFIX);
  if (groupId !== undefined) return { name: 'group', groupId };
  return { name: 'chats' };
}

function contactsTabOf(segment: string): ContactsTab {
  return CONTACTS_TABS.find((tab) => tab === segment) ?? 'friends';
}

/** Returns the decoded rest of `pathname` after `prefix`; undefined when it does not start with it, is empty or is malformed. */
function decodedSuffix(pathname: string, prefix: string): string | undefined {
  if (!pathname.startsWith(prefix) || pathname.length === prefix.length) return undefined;
  try {
    return decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'chats':
      return '/';
    case 'chat':
      return CHAT_PREFIX + encodeURIComponent(route.conversationId);
    case 'settings':
      return '/settings';
    case 'contacts':
      return route.tab === 'friends' ? CONTACTS_PATH : `${CONTACTS_PATH}/${route.tab}`;
    case 'search':
      return '/search';
    case 'profile':
      return PROFILE_PREFIX + encodeURIComponent(route.userId);
    case 'group':
      return GROUP_PREFIX + encodeURIComponent(route.groupId);
    case 'newGroup':
      return NEW_GROUP_PATH;
    case 'signin':
      return '/signin';
    case 'register':
      return '/register';
    default: {
      const unreachable: never = route;
      throw new Error(`no path for route ${JSON.stringify(unreachable)}`);
    }
  }
}

export const route = signal<Route>(parseRoute(location.pathname));

/** History entries that navigate has not written yet, oldest first. */
const pendingEntries: { path: string; replace: boolean }[] = [];

window.addEventListener('popstate', () => {
  // The user went back or forward from the entry already written, so the unwritten ones no longer apply.
  pendingEntries.length = 0;
  route.value = parseRoute(location.pathname);
});

/**
 * Shows `next` at once and writes its URL to the history in the next task,
 * after the new screen has rendered. `history.pushState` took from 0.2 to
 * 32 ms in Chromium 156 on a loaded machine (CPU samples from
 * `node bench/browser/profile-render.mjs --trace`), and called first it
 * delayed that render.
 */
export function navigate(next: Route, options: { replace?: boolean } = {}): void {
  if (pendingEntries.length === 0) setTimeout(writePendingEntries, 0);
  pendingEntries.push({ path: pathOf(next), replace: options.replace ?? false });
  route.value = next;
}

function writePendingEntries(): void {
  for (const { path, replace } of pendingEntries.splice(0)) {
    if (path === location.pathname) continue;
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
}
