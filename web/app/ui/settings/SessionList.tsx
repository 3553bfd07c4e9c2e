// The account's signed-in devices, each with a sign-out button; the current
// device is marked and signing it out signs out here.

import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../../../protocol/api';
import { errorText, t } from '../../i18n';
import { listSessions } from '../../net/api';
import { ApiError } from '../../net/http';
import { signOutSession } from '../../state/auth-actions';
import { FormError } from '../common/FormError';
import { formatDateTime } from '../common/format';
import { summarizeUserAgent } from './user-agent';

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; sessions: SessionInfo[] };

export function SessionList() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    listSessions()
      .then((sessions) => current && setLoad({ state: 'ready', sessions }))
      .catch((error: unknown) => current && setLoad({ state: 'failed', message: describe(error) }));
    return () => {
      current = false;
    };
  }, [attempt]);

  async function signOutOne(session: SessionInfo) {
    setActionError(null);
    try {
      await signOutSession(session.id, session.current);
      if (!session.current) setAttempt(attempt + 1);
    } catch (error) {
      setActionError(describe(error));
    }
  }

  return (
    <section class="settings-section">
      <h2 class="settings-heading">{t('settings.sessions')}</h2>
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
        <ul class="sessions">
          {load.sessions.map((session) => (
            <SessionItem key={session.id} session={session} onSignOut={() => signOutOne(session)} />
          ))}
        </ul>
      )}
      <FormError message={actionError} />
    </section>
  );
}

function SessionItem({ session, onSignOut }: { session: SessionInfo; onSignOut(): void }) {
  const { browser, os } = summarizeUserAgent(session.userAgent);
  const agent = t('settings.userAgent', {
    browser: browser ?? t('settings.unknownBrowser'),
    os: os ?? t('settings.unknownOs'),
  });

  return (
    <li
      class="session"
      data-testid="session-item"
      data-session-id={session.id}
      data-current={String(session.current)}
      data-device-class={session.deviceClass}
    >
      <div class="session-body">
        <p class="session-title">
          {t(`settings.deviceClass.${session.deviceClass}`)}
          {session.current && <span class="tag">{t('settings.thisDevice')}</span>}
        </p>
        <p class="session-agent" title={session.userAgent}>
          {agent}
        </p>
        <p class="session-seen">{t('settings.lastSeen', { time: formatDateTime(session.lastSeenAt) })}</p>
      </div>
      <button type="button" class="button button-quiet button-danger" data-testid="session-signout" onClick={onSignOut}>
        {t('settings.sessionSignout')}
      </button>
    </li>
  );
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return errorText(error.details);
  console.error('[settings] unexpected failure', error);
  return errorText({ code: 'internal' });
}
