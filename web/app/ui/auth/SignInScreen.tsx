// Sign in with username and password; after a kick it explains why the
// session ended.

import { useState } from 'preact/hooks';
import { errorText, t } from '../../i18n';
import { signInAccount } from '../../state/auth-actions';
import { navigate } from '../../state/route';
import { signOutNotice } from '../../state/session';
import { FormError } from '../common/FormError';
import { useFormSubmit } from '../common/use-form-submit';
import { AuthLayout } from './AuthLayout';

export function SignInScreen() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    if (username.trim() === '' || password === '') return t('signin.missingField');

    const failure = await signInAccount({ username: username.trim(), password });
    return failure ? errorText(failure) : null;
  });

  return (
    <AuthLayout title={t('signin.title')}>
      <KickedNotice />
      <form class="form" data-testid="signin-form" onSubmit={onSubmit} noValidate>
        <label class="field">
          <span class="field-label">{t('signin.username')}</span>
          <input
            data-testid="signin-username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('signin.password')}</span>
          <input
            data-testid="signin-password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        <FormError message={error} />
        <button class="button button-primary" type="submit" data-testid="signin-submit" disabled={busy}>
          {busy ? t('signin.submitting') : t('signin.submit')}
        </button>
      </form>
      <p class="auth-switch">
        {t('signin.noAccount')}{' '}
        <a
          href="/register"
          data-testid="goto-register"
          onClick={(event) => {
            event.preventDefault();
            navigate({ name: 'register' });
          }}
        >
          {t('signin.gotoRegister')}
        </a>
      </p>
    </AuthLayout>
  );
}

function KickedNotice() {
  const reason = signOutNotice.value;
  if (!reason) return null;

  const text = reason === 'signed_in_elsewhere' ? t('signin.kicked') : t('signin.kickedSignedOut');
  return (
    <p class="notice" role="status" data-testid="kicked-notice">
      {text}
    </p>
  );
}
