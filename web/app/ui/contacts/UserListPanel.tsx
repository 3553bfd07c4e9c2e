// One paged list of the contacts screen: friends, following, followers or blocked.

import { t, type MessageKey } from '../../i18n';
import { listUsers, type UserListName } from '../../net/relations-api';
import type { ContactsTab } from '../../state/route';
import { FormError } from '../common/FormError';
import { usePagedList } from '../common/use-paged-list';
import { UserRow } from '../common/UserRow';

type ListTab = Exclude<ContactsTab, 'requests'>;

const LIST_OF_TAB: Record<ListTab, UserListName> = {
  friends: 'friends',
  following: 'following',
  followers: 'followers',
  blocked: 'blocks',
};

const EMPTY_TEXT: Record<ListTab, MessageKey> = {
  friends: 'contacts.empty.friends',
  following: 'contacts.empty.following',
  followers: 'contacts.empty.followers',
  blocked: 'contacts.empty.blocked',
};

export function UserListPanel({ tab, version }: { tab: ListTab; version: number }) {
  const list = usePagedList(`${tab}:${version}`, async (cursor) => {
    const page = await listUsers(LIST_OF_TAB[tab], cursor);
    return { items: page.users, nextCursor: page.nextCursor };
  });

  return (
    <>
      {list.items.length > 0 && (
        <ul class="user-list" data-testid={`contacts-list-${tab}`}>
          {list.items.map((user) => (
            <UserRow key={user.id} user={user} testId="contact-item" />
          ))}
        </ul>
      )}
      <ListFooter
        state={list.state}
        error={list.error}
        empty={list.items.length === 0}
        emptyText={t(EMPTY_TEXT[tab])}
        hasMore={list.hasMore}
        onMore={list.loadMore}
        onRetry={list.reload}
      />
    </>
  );
}

interface FooterProps {
  state: 'loading' | 'ready' | 'failed';
  error: string | null;
  empty: boolean;
  emptyText: string;
  hasMore: boolean;
  onMore(): void;
  onRetry(): void;
}

/** Loading, failure, empty and "show more" states shared by the paged lists. */
export function ListFooter({ state, error, empty, emptyText, hasMore, onMore, onRetry }: FooterProps) {
  if (state === 'failed') {
    return (
      <div class="list-footer">
        <FormError message={error} />
        <button type="button" class="button button-quiet" onClick={onRetry}>
          {t('contacts.retry')}
        </button>
      </div>
    );
  }
  if (state === 'loading') return <p class="list-footer muted">{t('contacts.loading')}</p>;
  if (empty) return <p class="list-footer muted">{emptyText}</p>;
  if (!hasMore) return null;
  return (
    <div class="list-footer">
      <button type="button" class="button button-quiet" data-testid="list-more" onClick={onMore}>
        {t('contacts.loadMore')}
      </button>
    </div>
  );
}
