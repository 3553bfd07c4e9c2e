// The frame around the sign-in and sign-up forms: logo, name and tagline.

import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';

export function AuthLayout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="auth">
      <div class="auth-card">
        <header class="auth-brand">
          <img class="auth-logo" src="/icons/icon-192.png" alt="" width={64} height={64} />
          <p class="auth-name">
            {t('app.name')}
          </p>
          <p class="auth-tagline">{t('app.tagline')}</p>
        </header>
        <h1 class="auth-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
