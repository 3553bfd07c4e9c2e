// Contacts, loaded on first visit: tabs for friends, following, followers,
// friend requests and blocked users. Lists reload when a follow or friend
// event arrives.

import '../../styles/relations.css';
import { t, type MessageKey } from '../../i18n';
import type { Account } from '../../state/account';
import { relationsVersion } from '../../state/relations';
import { CONTACTS_TABS, navigate, type ContactsTab } from '../../state/route';
import { RequestList } from './RequestList';
import { UserListPanel } from './UserListPanel';

const TAB_LABELS: Record<ContactsTab, MessageKey> = {
  friends: 'contacts.tab.friends',
  following: 'contacts.tab.following',
  followers: 'contacts.tab.followers',
  requests: 'contacts.tab.requests',
  blocked: 'contacts.tab.blocked',
};

export default function ContactsView({ tab }: { account: Account; tab: ContactsTab }) {
  const version = relationsVersion.value;

  return (
    <section class="page" data-testid="contacts-view">
      <header class="pane-header">
        <h1 class="pane-title">{t('contacts.title')}</h1>
      </header>
      <div class="tabs" role="tablist" aria-label={t('contacts.title')}>
        {CONTACTS_TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            class="tab"
            data-testid={`contacts-tab-${name}`}
            aria-selected={name === tab}
            onClick={() => navigate({ name: 'contacts', tab: name }, { replace: true })}
          >
            {t(TAB_LABELS[name])}
          </button>
        ))}
      </div>
      <div class="page-body" role="tabpanel">
        {tab === 'requests' ? <RequestList version={version} /> : <UserListPanel tab={tab} version={version} />}
      </div>
    </section>
  );
}
