// Entry point of the page: language, styles, the app and the service worker.

import { render } from 'preact';
import './styles/base.css';
import './styles/auth.css';
import './styles/shell.css';
import './styles/chat.css';
import './styles/e2e.css';
import './styles/relations-core.css';
import { initLocale } from './i18n';
import { startAccount } from './state/account';
import { session } from './state/session';
import { registerServiceWorker } from './state/sw-update';
import { App } from './ui/App';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

// With a stored session the chat list comes first, so the account's code and
// database start loading now, alongside the catalog. App calls startAccount
// for the same session after the first render, and that call waits for this one.
const stored = session.value;
if (stored) startAccount(stored).catch((error: unknown) => console.error('[app] opening the account failed', error));

// The first render waits for the active language's catalog, so no text shows before it can be translated.
initLocale()
  .then(() => render(<App />, root))
  .catch((error: unknown) => console.error('[app] loading the language catalog failed, so the page stays empty until a reload', error));

// The development server serves modules, not the built shell the worker precaches.
if (import.meta.env.PROD) void registerServiceWorker();
