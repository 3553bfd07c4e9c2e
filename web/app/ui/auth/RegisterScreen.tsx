// Create an account. The fields are checked against the server's limits
// before the request, and the hints show those limits up front.

import { useState } from 'preact/hooks';
import { ACCOUNT_LIMITS } from '../../../../protocol/api';
import { errorText, t } from '../../i18n';
import { registerAccount } from '../../state/auth-actions';
import { navigate } from '../../state/route';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';
import { AuthLayout } from './AuthLayout';

export function RegisterScreen() {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const failure = await registerAccount({ username: username.trim(), displayName, password });
    return failure ? errorText(failure) : null;
  });

  return (
    <AuthLayout title={t('register.title')}>
      <form class="form" data-testid="register-form" onSubmit={onSubmit} noValidate>
        <label class="field">
          <span class="field-label">{t('register.username')}</span>
          <input
            data-testid="register-username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
          <span class="field-hint">
            {t('register.usernameHint', { min: ACCOUNT_LIMITS.usernameMin, max: ACCOUNT_LIMITS.usernameMax })}
          </span>
        </label>
        <label class="field">
          <span class="field-label">{t('register.displayName')}</span>
          <input
            data-testid="register-displayname"
            name="displayName"
            autocomplete="nickname"
            value={displayName}
            onInput={(event) => setDisplayName(event.currentTarget.value)}
          />
          <span class="field-hint">{t('register.displayNameHint', { max: ACCOUNT_LIMITS.displayNameMax })}</span>
        </label>
        <label class="field">
          <span class="field-label">{t('register.password')}</span>
          <input
            data-testid="register-password"
            name="password"
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
          <span class="field-hint">
            {t('register.passwordHint', { min: ACCOUNT_LIMITS.passwordMin, max: ACCOUNT_LIMITS.passwordMax })}
          </span>
        </label>
        <FormError message={error} />
        <button class="button button-primary" type="submit" data-testid="register-submit" disabled={busy}>
          {busy ? t('register.submitting') : t('register.submit')}
        </button>
      </form>
      <p class="auth-switch">
        {t('register.haveAccount')}{' '}
        <a
          href="/signin"
          data-testid="goto-signin"
          onClick={(event) => {
            event.preventDefault();
            navigate({ name: 'signin' });
          }}
        >
          {t('register.gotoSignin')}
        </a>
      </p>
    </AuthLayout>
  );
}
