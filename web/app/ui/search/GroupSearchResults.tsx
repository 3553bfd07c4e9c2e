// The Groups tab of the search screen: groups whose name contains the query
// and the group whose id is the query, each opening the group's info panel,
// where a non-member joins or applies.

import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { findGroups, type GroupSearchResult } from '../../state/group-admin-search';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';
import { GroupAvatar } from '../groups/GroupAvatar';
import { groupFailureText } from '../groups/group-errors';

export function GroupSearchResults({ query }: { query: string }) {
  const [results, setResults] = useState<GroupSearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setResults(null);
    setError(null);
    findGroups(query)
      .then((found) => {
        if (current) setResults(found);
      })
      .catch((failure: unknown) => {
        if (current) setError(groupFailureText(failure));
      });
    return () => {
      current = false;
    };
  }, [query, attempt]);

  if (error !== null) {
    return (
      <div class="list-footer">
        <FormError message={error} />
        <button type="button" class="button button-quiet" onClick={() => setAttempt(attempt + 1)}>
          {t('contacts.retry')}
        </button>
      </div>
    );
  }
  if (results === null) return <p class="list-footer muted">{t('contacts.loading')}</p>;
  if (results.length === 0) return <p class="list-footer muted">{t('groupAdmin.searchEmpty', { query })}</p>;

  return (
    <ul class="group-list" data-testid="group-search-results">
      {results.map((group) => (
        <li key={group.id} class="group-row" data-testid="group-search-result" data-group-id={group.id}>
          <GroupAvatar group={group} size={40} />
          <span class="group-row-body">
            <span class="group-row-name" data-testid="group-search-name" dir="auto">
              {group.name}
            </span>
            <span class="muted">{t('groupAdmin.searchMembers', { count: group.memberCount })}</span>
          </span>
          <span class="group-row-actions">
            <button
              type="button"
              class="button button-quiet"
              data-testid="group-search-open"
              onClick={() => navigate({ name: 'group', groupId: group.id })}
            >
              {t('groupAdmin.open')}
            </button>
          </span>
        </li>
      ))}
    </ul>
  );
}
