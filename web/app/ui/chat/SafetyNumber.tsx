// The safety number of a conversation, behind a button in the chat header.
// Both people see the same 12 groups of 5 digits when no one substituted a
// key between them. docs/e2e-encryption.md describes how it is computed.

import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Account } from '../../state/account';
import { ShieldIcon } from '../common/icons';

type SafetyState = { kind: 'loading' } | { kind: 'ready'; groups: string[] } | { kind: 'unavailable' } | { kind: 'failed' };

export function SafetyNumber({ account, peerId, peerName }: { account: Account; peerId: string; peerName: string }) {
  const [open, setOpen] = useState(false);

  return (
    <div class="safety">
      <button
        type="button"
        class="icon-button"
        data-testid="safety-number-open"
        aria-label={t('chat.safetyNumber')}
        title={t('chat.safetyNumber')}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <ShieldIcon />
      </button>
      {open && <SafetyPanel account={account} peerId={peerId} peerName={peerName} onClose={() => setOpen(false)} />}
    </div>
  );
}

function SafetyPanel(props: { account: Account; peerId: string; peerName: string; onClose(): void }) {
  const { account, peerId, peerName, onClose } = props;
  const [state, setState] = useState<SafetyState>({ kind: 'loading' });

  useEffect(() => {
    let current = true;
    account.e2e
      .safetyNumber(peerId)
      .then((groups) => current && setState(groups ? { kind: 'ready', groups } : { kind: 'unavailable' }))
      .catch((error: unknown) => {
        console.warn('[chat] computing the safety number failed', { peerId, error });
        if (current) setState({ kind: 'failed' });
      });
    return () => {
      current = false;
    };
  }, [account, peerId]);

  return (
    <div class="safety-panel" role="dialog" aria-label={t('chat.safetyNumber.title', { name: peerName })}>
      <h3 class="safety-title">{t('chat.safetyNumber.title', { name: peerName })}</h3>
      <SafetyBody state={state} />
      <p class="safety-hint">{t('chat.safetyNumber.hint', { name: peerName })}</p>
      <button type="button" class="button button-quiet" data-testid="safety-number-close" onClick={onClose}>
        {t('chat.safetyNumber.close')}
      </button>
    </div>
  );
}

function SafetyBody({ state }: { state: SafetyState }) {
  switch (state.kind) {
    case 'loading':
      return <p class="safety-status">{t('chat.safetyNumber.loading')}</p>;
    case 'unavailable':
      return <p class="safety-status">{t('chat.safetyNumber.unavailable')}</p>;
    case 'failed':
      return <p class="safety-status">{t('error.network')}</p>;
    case 'ready':
      return (
        <p class="safety-digits" data-testid="safety-number">
          {state.groups.map((group, index) => (
            <span key={index}>{group} </span>
          ))}
        </p>
      );
    default: {
      const unreachable: never = state;
      throw new Error(`unknown safety number state ${JSON.stringify(unreachable)}`);
    }
  }
}
