// Offers a waiting service worker version; the page reloads once it takes over.

import { t } from '../i18n';
import { applyUpdate, waitingWorker } from '../state/sw-update';

export function UpdatePrompt() {
  if (!waitingWorker.value) return null;
  return (
    <div class="update-prompt" role="status" data-testid="update-prompt">
      <span>{t('update.available')}</span>
      <button type="button" class="button button-primary" data-testid="update-reload" onClick={applyUpdate}>
        {t('update.reload')}
      </button>
    </div>
  );
}
