// The socket state for the user and for tests (`data-state`). Hidden while
// online; a banner while connecting or offline, so the user knows why new
// messages wait.

import { t } from '../../i18n';
import { connectionState } from '../../state/account';

export function ConnectionStatus() {
  const state = connectionState.value;
  return (
    <div class="connection" data-testid="connection-state" data-state={state} role="status" aria-live="polite">
      <span class="connection-dot" aria-hidden="true" />
      {t(`connection.${state}`)}
    </div>
  );
}
