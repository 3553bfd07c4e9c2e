// Message privacy and the global notification switch. Changes go to the
// server, which sends them to the user's other devices as a `settings` event.

import { useState } from 'preact/hooks';
import { MESSAGE_PRIVACY_VALUES, type MessagePrivacy, type UpdateSettingsRequest } from '../../../../protocol/relations';
import { t } from '../../i18n';
import { updateSettings } from '../../net/relations-api';
import { userSettings } from '../../state/relations';
import { FormError } from '../common/FormError';
import { describeFailure } from '../common/use-paged-list';

export function PrivacySettings() {
  const settings = userSettings.value;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(change: UpdateSettingsRequest) {
    setBusy(true);
    setError(null);
    try {
      userSettings.value = await updateSettings(change);
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section class="settings-section">
        <h2 class="settings-heading">
          <label for="privacy-select">{t('settings.privacy')}</label>
        </h2>
        {!settings && <p class="muted">{t('settings.settingsUnavailable')}</p>}
        {settings && (
          <>
            <select
              id="privacy-select"
              class="select"
              data-testid="privacy-select"
              value={settings.messagePrivacy}
              disabled={busy}
              onChange={(event) => {
                const chosen = MESSAGE_PRIVACY_VALUES.find((value) => value === event.currentTarget.value);
                if (chosen) void save({ messagePrivacy: chosen });
              }}
            >
              {MESSAGE_PRIVACY_VALUES.map((value: MessagePrivacy) => (
                <option key={value} value={value}>
                  {t(`settings.privacy.${value}`)}
                </option>
              ))}
            </select>
            <p class="field-hint">{t('settings.privacyHint')}</p>
          </>
        )}
      </section>

      <section class="settings-section">
        <h2 class="settings-heading">{t('settings.notifications')}</h2>
        {settings && (
          <label class="switch">
            <input
              type="checkbox"
              data-testid="notifications-toggle"
              checked={settings.notifications}
              disabled={busy}
              onChange={(event) => void save({ notifications: event.currentTarget.checked })}
            />
            <span>{t('settings.notificationsToggle')}</span>
          </label>
        )}
        <p class="field-hint">{t('settings.notificationsHint')}</p>
        <FormError message={error} />
      </section>
    </>
  );
}
