// Picks a group picture and crops and scales it like the profile picture,
// without uploading. The caller uploads the returned image when it has a
// group id: after creating the group, or at once in the info panel.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AVATAR_SIZE_PX } from '../../../../protocol/limits';
import { t } from '../../i18n';
import { FormError } from '../common/FormError';
import { ImageFileButton } from '../common/ImageFileButton';
import { squareAvatar } from '../settings/avatar-image';

interface Props {
  /** Shown until a picture is picked. */
  fallback: ComponentChildren;
  busy?: boolean;
  /** Whether the picked picture replaces `fallback` at once; off where `fallback` shows the saved picture. */
  showPreview?: boolean;
  onPicked(image: Blob): void;
}

export function GroupAvatarInput({ fallback, busy = false, showPreview = true, onPicked }: Props) {
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  async function pick(file: File) {
    setError(null);
    try {
      const image = await squareAvatar(file);
      if (showPreview) setPreview(URL.createObjectURL(image));
      onPicked(image);
    } catch (failure) {
      console.warn('[groups] reading the picked picture failed', failure);
      setError(t('groupAdmin.avatarUnreadable'));
    }
  }

  return (
    <div class="avatar-picker">
      {preview ? <img class="avatar avatar-image" data-testid="group-avatar-preview" src={preview} alt="" width={72} height={72} /> : fallback}
      <div class="avatar-picker-controls">
        <ImageFileButton
          label={busy ? t('groupAdmin.avatarUploading') : t('groupAdmin.avatarChoose')}
          testId="group-avatar-input"
          disabled={busy}
          onFile={pick}
        />
        <span class="field-hint">{t('groupAdmin.avatarHint', { size: AVATAR_SIZE_PX })}</span>
      </div>
      <FormError message={error} />
    </div>
  );
}
