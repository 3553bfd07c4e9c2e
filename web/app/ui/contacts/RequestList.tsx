// Friend requests: received ones with accept and decline, sent ones waiting.

import { useState } from 'preact/hooks';
import type { FriendRequestInfo } from '../../../../protocol/relations';
import { t } from '../../i18n';
import { acceptFriendRequest, declineFriendRequest, listFriendRequests } from '../../net/relations-api';
import { relationsVersion } from '../../state/relations';
import { FormError } from '../common/FormError';
import { formatDateTime } from '../common/format';
import { describeFailure, usePagedList } from '../common/use-paged-list';
import { UserRow } from '../common/UserRow';
import { ListFooter } from './UserListPanel';

export function RequestList({ version }: { version: number }) {
  const incoming = useRequests('incoming', version);
  const outgoing = useRequests('outgoing', version);
  const [error, setError] = useState<string | null>(null);

  async function answer(request: FriendRequestInfo, accept: boolean) {
    setError(null);
    try {
      if (accept) await acceptFriendRequest(request.user.id);
      else await declineFriendRequest(request.user.id);
      relationsVersion.value++;
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }

  return (
    <>
      <h2 class="list-heading">{t('contacts.incoming')}</h2>
      <FormError message={error} />
      {incoming.items.length > 0 && (
        <ul class="user-list">
          {incoming.items.map((request) => (
            <UserRow
              key={request.user.id}
              user={request.user}
              testId="request-item"
              detail={<RequestDetail request={request} />}
              actions={
                <>
                  <button type="button" class="button button-primary" data-testid="request-accept" onClick={() => void answer(request, true)}>
                    {t('contacts.accept')}
                  </button>
                  <button type="button" class="button button-quiet" data-testid="request-decline" onClick={() => void answer(request, false)}>
                    {t('contacts.decline')}
                  </button>
                </>
              }
            />
          ))}
        </ul>
      )}
      <ListFooter {...footerProps(incoming)} />

      {outgoing.items.length > 0 && (
        <>
          <h2 class="list-heading">{t('contacts.outgoing')}</h2>
          <ul class="user-list">
            {outgoing.items.map((request) => (
              <UserRow key={request.user.id} user={request.user} testId="outgoing-request-item" detail={<RequestDetail request={request} />} />
            ))}
          </ul>
          {outgoing.hasMore && <ListFooter {...footerProps(outgoing)} />}
        </>
      )}
    </>
  );
}

function RequestDetail({ request }: { request: FriendRequestInfo }) {
  return (
    <>
      {request.message !== '' && (
        <span class="user-row-detail" data-testid="request-message" dir="auto">
          {request.message}
        </span>
      )}
      <span class="user-row-meta">{t('contacts.expires', { date: formatDateTime(request.expiresAt) })}</span>
    </>
  );
}

function useRequests(direction: 'incoming' | 'outgoing', version: number) {
  return usePagedList(`${direction}:${version}`, async (cursor) => {
    const page = await listFriendRequests(direction, cursor);
    return { items: page.requests, nextCursor: page.nextCursor };
  });
}

function footerProps(list: ReturnType<typeof useRequests>) {
  return {
    state: list.state,
    error: list.error,
    empty: list.items.length === 0,
    emptyText: t('contacts.empty.requests'),
    hasMore: list.hasMore,
    onMore: list.loadMore,
    onRetry: list.reload,
  };
}
