// One person in a list: avatar, display name and username, opening their
// profile. Names render as text nodes, never as HTML.

import type { ComponentChildren } from 'preact';
import type { UserSummary } from '../../../../protocol/relations';
import { navigate } from '../../state/route';
import { Avatar } from './Avatar';

interface Props {
  user: UserSummary;
  testId: string;
  /** Extra content under the name, such as a friend request message. */
  detail?: ComponentChildren;
  /** Buttons shown at the end of the row. */
  actions?: ComponentChildren;
}

export function UserRow({ user, testId, detail, actions }: Props) {
  const href = `/user/${encodeURIComponent(user.id)}`;
  return (
    <li class="user-row" data-testid={testId} data-username={user.username} data-user-id={user.id}>
      <a
        class="user-row-link"
        href={href}
        onClick={(event) => {
          event.preventDefault();
          navigate({ name: 'profile', userId: user.id });
        }}
      >
        <Avatar userId={user.id} name={user.displayName} url={user.avatarUrl} size={40} />
        <span class="user-row-body">
          <span class="user-row-name" data-testid="user-row-name" dir="auto">
            {user.displayName}
          </span>
          <span class="user-row-username">@{user.username}</span>
          {detail}
        </span>
      </a>
      {actions && <span class="user-row-actions">{actions}</span>}
    </li>
  );
}
