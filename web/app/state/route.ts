// Client-side routes on the History API. The edge serves index.html for every
// unknown path, and the service worker does the same offline.

import { signal } from '@preact/signals';

export type Route =
  | { name: 'chats' }
  | { name: 'chat'; conversationId: string }
  | { name: 'settings' }
  | { name: 'signin' }
  | { name: 'register' };

const CHAT_PREFIX = '/chat/';

export function parseRoute(pathname: string): Route {
  if (pathname === '/settings') return { name: 'settings' };
  if (pathname === '/signin') return { name: 'signin' };
  if (pathname === '/register') return { name: 'register' };
  if (pathname.startsWith(CHAT_PREFIX) && pathname.length > CHAT_PREFIX.length) {
    try {
      return { name: 'chat', conversationId: decodeURIComponent(pathname.slice(CHAT_PREFIX.length)) };
    } catch {
      return { name: 'chats' };
    }
  }
  return { name: 'chats' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'chats':
      return '/';
    case 'chat':
      return CHAT_PREFIX + encodeURIComponent(route.conversationId);
    case 'settings':
      return '/settings';
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

window.addEventListener('popstate', () => {
  route.value = parseRoute(location.pathname);
});

export function navigate(next: Route, options: { replace?: boolean } = {}): void {
  const path = pathOf(next);
  if (path !== location.pathname) {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  route.value = next;
}
