// Settings, loaded on first visit: profile, privacy, notifications,
// language, signed-in devices and sign-out.

import '../../styles/settings.css';
import '../../styles/relations.css';
import { LOCALES, isLocale } from '../../i18n/translate';
import { locale, setLocale, t } from '../../i18n';
import type { Account } from '../../state/account';
import { signOut } from '../../state/auth-actions';
import { PrivacySettings } from './PrivacySettings';
import { ProfileForm } from './ProfileForm';
import { SessionList } from './SessionList';

export default function SettingsView({ account }: { account: Account }) {
  return (
    <section class="settings" data-testid="settings-view">
      <header class="pane-header">
        <h1 class="pane-title">{t('settings.title')}</h1>
      </header>
      <div class="settings-body">
        <ProfileForm account={account} />

        <PrivacySettings />

        <section class="settings-section">
          <h2 class="settings-heading">
            <label for="language-select">{t('settings.language')}</label>
          </h2>
          <select
            id="language-select"
            class="select"
            data-testid="language-select"
            value={locale.value}
            onChange={(event) => {
              const chosen = event.currentTarget.value;
              if (isLocale(chosen)) setLocale(chosen);
            }}
          >
            {LOCALES.map((code) => (
              <option key={code} value={code}>
                {t(`language.${code}`)}
              </option>
            ))}
          </select>
        </section>

        <SessionList />

        <section class="settings-section">
          <button type="button" class="button button-danger-solid" data-testid="signout-button" onClick={() => void signOut()}>
            {t('settings.signout')}
          </button>
        </section>
      </div>
    </section>
  );
}
