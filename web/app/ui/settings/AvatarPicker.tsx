// Picks, crops, scales and uploads the profile picture, or removes it.

import { useState } from 'preact/hooks';
import type { OwnProfile } from '../../../../protocol/api';
import { AVATAR_SIZE_PX } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { deleteAvatar, uploadAvatar } from '../../net/relations-api';
import { Avatar } from '../common/Avatar';
import { FormError } from '../common/FormError';
import { ImageFileButton } from '../common/ImageFileButton';
import { describeFailure } from '../common/use-paged-list';
import { squareAvatar } from './avatar-image';

export function AvatarPicker({ profile, onSaved }: { profile: OwnProfile; onSaved(profile: OwnProfile): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(file: File) {
    setBusy(true);
    setError(null);
    try {
      let image: Blob;
      try {
        image = await squareAvatar(file);
      } catch (failure) {
        console.warn('[settings] reading the picked picture failed', failure);
        setError(t('settings.avatarUnreadable'));
        return;
      }
      onSaved(await uploadAvatar(image));
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      onSaved(await deleteAvatar());
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="avatar-picker">
      <Avatar userId={profile.id} name={profile.displayName} url={profile.avatarUrl} size={72} />
      <div class="avatar-picker-controls">
        <ImageFileButton
          label={busy ? t('settings.avatarUploading') : t('settings.avatarChoose')}
          testId="profile-avatar-input"
          disabled={busy}
          onFile={upload}
        />
        {profile.avatarUrl && (
          <button type="button" class="button button-quiet" data-testid="profile-avatar-remove" disabled={busy} onClick={() => void remove()}>
            {t('settings.avatarRemove')}
          </button>
        )}
        <span class="field-hint">{t('settings.avatarHint', { size: AVATAR_SIZE_PX })}</span>
      </div>
      <FormError message={error} />
    </div>
  );
}
