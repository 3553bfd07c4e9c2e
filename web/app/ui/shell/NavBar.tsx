// Chats and settings: a bottom tab bar on phones, a side rail on wide screens.

import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';
import { navigate, type Route } from '../../state/route';
import { ChatsIcon, SettingsIcon } from '../common/icons';

export function NavBar({ active }: { active: 'chats' | 'settings' }) {
  return (
    <nav class="nav" aria-label={t('app.name')}>
      <NavButton route={{ name: 'chats' }} testId="nav-chats" label={t('nav.chats')} current={active === 'chats'}>
        <ChatsIcon />
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
