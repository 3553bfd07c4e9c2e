// A user's profile, loaded on first visit: picture, names, bio, gender,
// region, counts and what the viewer can do (follow, add friend, message,
// mute, block). Names and bio render as text, never as HTML.

import '../../styles/relations.css';
import { useEffect, useState } from 'preact/hooks';
import type { UserProfileView } from '../../../../protocol/api';
import { t, type MessageKey } from '../../i18n';
import { getProfileView } from '../../net/relations-api';
import type { Account } from '../../state/account';
import { publicPartOf } from '../../state/relation-actions';
import { rememberProfile } from '../../state/profiles';
import { relationsVersion } from '../../state/relations';
import { navigate } from '../../state/route';
import { Avatar } from '../common/Avatar';
import { FormError } from '../common/FormError';
import { BackIcon } from '../common/icons';
import { describeFailure } from '../common/use-paged-list';
import { ProfileActions } from './ProfileActions';

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; profile: UserProfileView };

export default function ProfileView({ account, userId }: { account: Account; userId: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const version = relationsVersion.value;

  useEffect(() => {
    let current = true;
    getProfileView(userId)
      .then((profile) => {
        if (!current) return;
        setLoad({ state: 'ready', profile });
        void rememberProfile(account, publicPartOf(profile));
      })
      .catch((failure: unknown) => current && setLoad({ state: 'failed', message: describeFailure(failure) }));
    return () => {
      current = false;
    };
  }, [account, userId, version, attempt]);

  return (
    <section class="page" data-testid="profile-view" data-user-id={userId}>
      <header class="pane-header">
        <button type="button" class="icon-button" data-testid="profile-back" aria-label={t('chat.back')} onClick={() => history.back()}>
          <BackIcon />
        </button>
        <h1 class="pane-title">{t('profile.title')}</h1>
      </header>
      <div class="page-body">
        {load.state === 'loading' && <p class="muted">{t('contacts.loading')}</p>}
        {load.state === 'failed' && (
          <div class="list-footer">
            <FormError message={load.message} />
            <button type="button" class="button button-quiet" onClick={() => setAttempt(attempt + 1)}>
              {t('contacts.retry')}
            </button>
          </div>
        )}
        {load.state === 'ready' && (
          <>
            <ProfileCard profile={load.profile} />
            {load.profile.id === account.userId ? (
              <div class="profile-self">
                <p class="muted">{t('profile.yourself')}</p>
                <button type="button" class="button button-quiet" onClick={() => navigate({ name: 'settings' })}>
                  {t('profile.edit')}
                </button>
              </div>
            ) : (
              <ProfileActions account={account} profile={load.profile} onChanged={() => setAttempt(attempt + 1)} />
            )}
          </>
        )}
      </div>
    </section>
  );
}

function ProfileCard({ profile }: { profile: UserProfileView }) {
  const { relation, counts } = profile;
  return (
    <div class="profile-card">
      <Avatar userId={profile.id} name={profile.displayName} url={profile.avatarUrl} size={96} />
      <h2 class="profile-name" data-testid="profile-name" dir="auto">
        {profile.displayName}
      </h2>
      <p class="profile-username" data-testid="profile-username">
        @{profile.username}
      </p>
      <p class="profile-tags">
        {relation.friend && <span class="tag">{t('profile.friendTag')}</span>}
        {relation.followedBy && <span class="tag">{t('profile.followsYou')}</span>}
      </p>
      {profile.bio !== '' && (
        <p class="profile-bio" data-testid="profile-bio-text" dir="auto">
          {profile.bio}
        </p>
      )}
      <ProfileFacts profile={profile} />
      {counts && (
        <dl class="profile-counts">
          <Count label="profile.counts.followers" value={counts.followers} />
          <Count label="profile.counts.following" value={counts.following} />
          <Count label="profile.counts.friends" value={counts.friends} />
        </dl>
      )}
      {relation.blocking && <p class="notice">{t('profile.blockedNotice')}</p>}
      {relation.muted && <p class="notice">{t('profile.mutedNotice')}</p>}
    </div>
  );
}

function ProfileFacts({ profile }: { profile: UserProfileView }) {
  if (profile.gender === undefined && profile.region === undefined) return null;
  return (
    <dl class="profile-facts">
      {profile.gender !== undefined && (
        <div>
          <dt>{t('profile.gender')}</dt>
          <dd>{t(`profile.gender.${profile.gender}`)}</dd>
        </div>
      )}
      {profile.region !== undefined && (
        <div>
          <dt>{t('profile.region')}</dt>
          <dd dir="auto">{profile.region}</dd>
        </div>
      )}
    </dl>
  );
}

function Count({ label, value }: { label: MessageKey; value: number }) {
  return (
    <div class="profile-count">
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
}
