// Entry point of the page: language, styles, the app and the service worker.

import { render } from 'preact';
import './styles/base.css';
import './styles/auth.css';
import './styles/shell.css';
import './styles/chat.css';
import './styles/e2e.css';
import './styles/relations-core.css';
import { initLocale } from './i18n';
import { registerServiceWorker } from './state/sw-update';
import { App } from './ui/App';

initLocale();

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);

// The development server serves modules, not the built shell the worker precaches.
if (import.meta.env.PROD) void registerServiceWorker();
