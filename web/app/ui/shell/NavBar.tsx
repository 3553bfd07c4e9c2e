// Chats, contacts, search and settings: a bottom tab bar on phones, a side
// rail on wide screens.

import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';
import { navigate, type Route } from '../../state/route';
import { ChatsIcon, ContactsIcon, SearchIcon, SettingsIcon } from '../common/icons';

export type NavSection = 'chats' | 'contacts' | 'search' | 'settings';

export function NavBar({ active }: { active: NavSection }) {
  return (
    <nav class="nav" aria-label={t('app.name')}>
      <NavButton route={{ name: 'chats' }} testId="nav-chats" label={t('nav.chats')} current={active === 'chats'}>
        <ChatsIcon />
      </NavButton>
      <NavButton
        route={{ name: 'contacts', tab: 'friends' }}
        testId="nav-contacts"
        label={t('nav.contacts')}
        current={active === 'contacts'}
      >
        <ContactsIcon />
      </NavButton>
      <NavButton route={{ name: 'search' }} testId="nav-search" label={t('nav.search')} current={active === 'search'}>
        <SearchIcon />
      </NavButton>
      <NavButton route={{ name: 'settings' }} testId="nav-settings" label={t('nav.settings')} current={active === 'settings'}>
        <SettingsIcon />
      </NavButton>
    </nav>
  );
}

function NavButton(props: { route: Route; testId: string; label: string; current: boolean; children: ComponentChildren }) {
  return (
    <button
      type="button"
      class="nav-button"
      data-testid={props.testId}
      aria-current={props.current ? 'page' : undefined}
      onClick={() => navigate(props.route)}
    >
      {props.children}
      <span class="nav-label">{props.label}</span>
    </button>
  );
}
