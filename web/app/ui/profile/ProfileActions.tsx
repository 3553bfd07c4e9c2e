// Actions on another user's profile. Each action calls the server, then the
// profile reloads to show the new relation.

import { useState } from 'preact/hooks';
import type { UserProfileView } from '../../../../protocol/api';
import { t } from '../../i18n';
import { acceptFriendRequest, block, follow, removeFriend, setUserMuted, unblock, unfollow } from '../../net/relations-api';
import type { Account } from '../../state/account';
import { openChatWith } from '../../state/relation-actions';
import { relationsVersion } from '../../state/relations';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';
import { describeFailure } from '../common/use-paged-list';
import { FriendRequestForm } from './FriendRequestForm';

interface Props {
  account: Account;
  profile: UserProfileView;
  onChanged(): void;
}

export function ProfileActions({ account, profile, onChanged }: Props) {
  const { relation } = profile;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [requesting, setRequesting] = useState(false);

  async function run(action: () => Promise<unknown>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      relationsVersion.value++;
      onChanged();
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  async function message() {
    try {
      const conversationId = await openChatWith(account, profile);
      navigate({ name: 'chat', conversationId });
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }

  return (
    <div class="profile-actions">
      <div class="profile-buttons">
        <button type="button" class="button button-primary" data-testid="profile-message" onClick={() => void message()}>
          {t('profile.message')}
        </button>
        {!relation.blocking && (
          <button
            type="button"
            class="button button-quiet"
            data-testid="profile-follow"
            data-state={relation.following ? 'following' : 'not-following'}
            disabled={busy}
            onClick={() => void run(() => (relation.following ? unfollow(profile.id) : follow(profile.id)))}
          >
            {relation.following ? t('profile.unfollow') : t('profile.follow')}
          </button>
        )}
        {!relation.blocking && <FriendButton profile={profile} busy={busy} run={run} onRequest={() => setRequesting(true)} />}
        <button
          type="button"
          class="button button-quiet"
          data-testid="profile-mute"
          data-state={relation.muted ? 'muted' : 'not-muted'}
          disabled={busy}
          onClick={() => void run(() => setUserMuted(profile.id, !relation.muted))}
        >
          {relation.muted ? t('profile.unmute') : t('profile.mute')}
        </button>
        <button
          type="button"
          class="button button-quiet button-danger"
          data-testid="profile-block"
          data-state={relation.blocking ? 'blocking' : 'not-blocking'}
          disabled={busy}
          onClick={() => void run(() => (relation.blocking ? unblock(profile.id) : block(profile.id)))}
        >
          {relation.blocking ? t('profile.unblock') : t('profile.block')}
        </button>
      </div>
      <FormError message={error} />
      {requesting && (
        <FriendRequestForm
          profile={profile}
          onClose={() => setRequesting(false)}
          onSent={() => {
            relationsVersion.value++;
            onChanged();
          }}
        />
      )}
    </div>
  );
}

interface FriendButtonProps {
  profile: UserProfileView;
  busy: boolean;
  run(action: () => Promise<unknown>): Promise<void>;
  onRequest(): void;
}

/** Add friend, accept their request, or remove the friendship, depending on where the two stand. */
function FriendButton({ profile, busy, run, onRequest }: FriendButtonProps) {
  const { relation } = profile;
  if (relation.friend) {
    return (
      <button type="button" class="button button-quiet" data-testid="profile-remove-friend" disabled={busy} onClick={() => void run(() => removeFriend(profile.id))}>
        {t('profile.removeFriend')}
      </button>
    );
  }
  if (relation.requestReceived) {
    return (
      <button type="button" class="button button-quiet" data-testid="profile-accept-friend" disabled={busy} onClick={() => void run(() => acceptFriendRequest(profile.id))}>
        {t('profile.acceptRequest')}
      </button>
    );
  }
  return (
    <button type="button" class="button button-quiet" data-testid="profile-add-friend" disabled={busy} onClick={onRequest}>
      {relation.requestSent ? t('profile.requestSent') : t('profile.addFriend')}
    </button>
  );
}
