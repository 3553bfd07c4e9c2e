// Search, loaded on first visit. The People tab finds users by username
// prefix or display-name substring, ranked by the server, with more pages on
// request. The Groups tab finds groups by part of the name or by exact id.

import '../../styles/relations.css';
import '../../styles/groups.css';
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { SEARCH_QUERY_MAX_CHARS, countChars } from '../../../../protocol/limits';
import { errorText, t } from '../../i18n';
import { searchUsers } from '../../net/relations-api';
import type { Account } from '../../state/account';
import { FormError } from '../common/FormError';
import { usePagedList } from '../common/use-paged-list';
import { UserRow } from '../common/UserRow';
import { ListFooter } from '../contacts/UserListPanel';
import { GroupSearchResults } from './GroupSearchResults';

/** Typing pauses this long before a search request leaves, so each keystroke does not cost one. */
const SEARCH_DEBOUNCE_MS = 250;

type SearchTab = 'users' | 'groups';

/** The open tab, kept outside the view so that coming back from a result shows the same tab. */
const searchTab = signal<SearchTab>('users');

export default function SearchView(_props: { account: Account }) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const length = countChars(query);
  const tooLong = length > SEARCH_QUERY_MAX_CHARS;
  const groupsTab = searchTab.value === 'groups';

  return (
    <section class="page" data-testid="search-view">
      <header class="pane-header">
        <h1 class="pane-title">{t('search.title')}</h1>
      </header>
      <SearchTabs />
      <div class="page-body" role="tabpanel">
        <form class="search-form" role="search" onSubmit={(event) => {
          event.preventDefault();
          setQuery(input.trim());
        }}>
          <input
            type="search"
            class="search-input"
            data-testid="search-input"
            aria-label={t('search.label')}
            placeholder={groupsTab ? t('groupAdmin.searchPlaceholder') : t('search.placeholder')}
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            autoFocus
            value={input}
            onInput={(event) => setInput(event.currentTarget.value)}
          />
        </form>
        {tooLong && <FormError message={errorText({ code: 'query_too_long', limit: SEARCH_QUERY_MAX_CHARS, value: length })} />}
        {query === '' && <p class="muted search-hint">{groupsTab ? t('groupAdmin.searchHint') : t('search.hint')}</p>}
        {query !== '' && !tooLong && !groupsTab && <SearchResults query={query} />}
        {query !== '' && !tooLong && groupsTab && <GroupSearchResults query={query} />}
      </div>
    </section>
  );
}

function SearchTabs() {
  const tabs: { name: SearchTab; label: string }[] = [
    { name: 'users', label: t('groupAdmin.searchTabUsers') },
    { name: 'groups', label: t('groupAdmin.searchTabGroups') },
  ];
  return (
    <div class="tabs" role="tablist" aria-label={t('search.title')}>
      {tabs.map(({ name, label }) => (
        <button
          key={name}
          type="button"
          role="tab"
          class="tab"
          data-testid={`search-${name}-tab`}
          aria-selected={searchTab.value === name}
          onClick={() => (searchTab.value = name)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

function SearchResults({ query }: { query: string }) {
  const results = usePagedList(query, async (cursor) => {
    const page = await searchUsers(query, cursor);
    return { items: page.users, nextCursor: page.nextCursor };
  });

  return (
    <>
      {results.items.length > 0 && (
        <ul class="user-list" data-testid="search-results">
          {results.items.map((user) => (
            <UserRow key={user.id} user={user} testId="search-result" />
          ))}
        </ul>
      )}
      <ListFooter
        state={results.state}
        error={results.error}
        empty={results.items.length === 0}
        emptyText={t('search.empty', { query })}
        hasMore={results.hasMore}
        onMore={results.loadMore}
        onRetry={results.reload}
      />
    </>
  );
}
