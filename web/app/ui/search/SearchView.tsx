// User search, loaded on first visit: by username prefix or display-name
// substring, ranked by the server, with more pages on request.

import '../../styles/relations.css';
import { useEffect, useState } from 'preact/hooks';
import { SEARCH_QUERY_MAX_CHARS, countChars } from '../../../../protocol/limits';
import { errorText, t } from '../../i18n';
import { searchUsers } from '../../net/relations-api';
import type { Account } from '../../state/account';
import { FormError } from '../common/FormError';
import { usePagedList } from '../common/use-paged-list';
import { UserRow } from '../common/UserRow';
import { ListFooter } from '../contacts/UserListPanel';

/** Typing pauses this long before a search request leaves, so each keystroke does not cost one. */
const SEARCH_DEBOUNCE_MS = 250;

export default function SearchView(_props: { account: Account }) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const length = countChars(query);
  const tooLong = length > SEARCH_QUERY_MAX_CHARS;

  return (
    <section class="page" data-testid="search-view">
      <header class="pane-header">
        <h1 class="pane-title">{t('search.title')}</h1>
      </header>
      <div class="page-body">
        <form class="search-form" role="search" onSubmit={(event) => {
          event.preventDefault();
          setQuery(input.trim());
        }}>
          <input
            type="search"
            class="search-input"
            data-testid="search-input"
            aria-label={t('search.label')}
            placeholder={t('search.placeholder')}
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            autoFocus
            value={input}
            onInput={(event) => setInput(event.currentTarget.value)}
          />
        </form>
        {tooLong && <FormError message={errorText({ code: 'query_too_long', limit: SEARCH_QUERY_MAX_CHARS, value: length })} />}
        {query === '' && <p class="muted search-hint">{t('search.hint')}</p>}
        {query !== '' && !tooLong && <SearchResults query={query} />}
      </div>
    </section>
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
