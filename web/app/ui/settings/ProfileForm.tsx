// Edit the own picture, display name, bio, gender and region; text fields
// are checked against the server's limits before saving.

import { useEffect, useState } from 'preact/hooks';
import type { OwnProfile } from '../../../../protocol/api';
import { ACCOUNT_LIMITS } from '../../../../protocol/api';
import { REGION_MAX_CHARS } from '../../../../protocol/limits';
import { GENDER_VALUES, type Gender } from '../../../../protocol/relations';
import { errorText, t } from '../../i18n';
import { getOwnProfile, updateOwnProfile } from '../../net/api';
import { ApiError } from '../../net/http';
import type { Account } from '../../state/account';
import { rememberProfile } from '../../state/profiles';
import { validateRegion } from '../../relations-validation';
import { validateBio, validateDisplayName } from '../../validation';
import { FormError } from '../common/FormError';
import { AvatarPicker } from './AvatarPicker';

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; profile: OwnProfile };

export function ProfileForm({ account }: { account: Account }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    getOwnProfile()
      .then((profile) => current && setLoad({ state: 'ready', profile }))
      .catch((error: unknown) => current && setLoad({ state: 'failed', message: describe(error) }));
    return () => {
      current = false;
    };
  }, [attempt]);

  return (
    <section class="settings-section">
      <h2 class="settings-heading">{t('settings.profile')}</h2>
      {load.state === 'loading' && <p class="muted">{t('settings.loading')}</p>}
      {load.state === 'failed' && (
        <div class="settings-failed">
          <FormError message={load.message} />
          <button type="button" class="button button-quiet" onClick={() => setAttempt(attempt + 1)}>
            {t('settings.retry')}
          </button>
        </div>
      )}
      {load.state === 'ready' && (
        <ProfileFields
          account={account}
          profile={load.profile}
          onSaved={(profile) => setLoad({ state: 'ready', profile })}
        />
      )}
    </section>
  );
}

function ProfileFields(props: { account: Account; profile: OwnProfile; onSaved(profile: OwnProfile): void }) {
  const { account, profile, onSaved } = props;
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [bio, setBio] = useState(profile.bio);
  const [gender, setGender] = useState<Gender | null>(profile.gender ?? null);
  const [region, setRegion] = useState(profile.region ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;

    const trimmedName = displayName.trim();
    const trimmedRegion = region.trim();
    const invalid = validateDisplayName(trimmedName) ?? validateBio(bio) ?? validateRegion(trimmedRegion);
    setSaved(false);
    if (invalid) {
      setError(errorText(invalid));
      return;
    }

    setBusy(true);
    setError(null);
    try {
      const updated = await updateOwnProfile({ displayName: trimmedName, bio, gender, region: trimmedRegion });
      await rememberProfile(account, updated);
      onSaved(updated);
      setSaved(true);
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={submit} noValidate>
      <AvatarPicker
        profile={profile}
        onSaved={(updated) => {
          void rememberProfile(account, updated);
          onSaved(updated);
        }}
      />
      <p class="settings-username">
        {t('settings.username')}: <strong>@{profile.username}</strong>
      </p>
      <label class="field">
        <span class="field-label">{t('settings.displayName')}</span>
        <input
          data-testid="profile-displayname"
          name="displayName"
          value={displayName}
          onInput={(event) => setDisplayName(event.currentTarget.value)}
        />
        <span class="field-hint">{t('register.displayNameHint', { max: ACCOUNT_LIMITS.displayNameMax })}</span>
      </label>
      <label class="field">
        <span class="field-label">{t('settings.bio')}</span>
        <textarea
          data-testid="profile-bio"
          name="bio"
          rows={3}
          value={bio}
          onInput={(event) => setBio(event.currentTarget.value)}
        />
        <span class="field-hint">{t('settings.bioHint', { max: ACCOUNT_LIMITS.bioMax })}</span>
      </label>
      <label class="field">
        <span class="field-label">{t('settings.gender')}</span>
        <select
          class="select"
          data-testid="profile-gender"
          value={gender ?? ''}
          onChange={(event) => setGender(GENDER_VALUES.find((value) => value === event.currentTarget.value) ?? null)}
        >
          <option value="">{t('settings.genderUnset')}</option>
          {GENDER_VALUES.map((value) => (
            <option key={value} value={value}>
              {t(`profile.gender.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">{t('settings.region')}</span>
        <input data-testid="profile-region" name="region" value={region} onInput={(event) => setRegion(event.currentTarget.value)} />
        <span class="field-hint">{t('settings.regionHint', { max: REGION_MAX_CHARS })}</span>
      </label>
      <FormError message={error} />
      {saved && (
        <p class="form-success" role="status">
          {t('settings.saved')}
        </p>
      )}
      <button type="submit" class="button button-primary" data-testid="profile-save" disabled={busy}>
        {busy ? t('settings.saving') : t('settings.save')}
      </button>
    </form>
  );
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return errorText(error.details);
  console.error('[settings] unexpected failure', error);
  return errorText({ code: 'internal' });
}
