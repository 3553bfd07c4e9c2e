// The active UI language as a signal. Components that call `t()` re-render
// when it changes, and the choice persists in localStorage. Only the active
// catalog is downloaded: `initLocale` loads it before the first render, and
// `setLocale` loads the other one on the first switch.

import { batch, signal } from '@preact/signals';
import type { Catalog, MessageKey } from './en';
import { errorMessageFor } from './error-keys';
import type { ErrorDetails } from './errors';
import { fillTemplate, isLocale, pickLocale, type Locale, type MessageValues } from './locales';

export { LOCALES, formatNumber, type Locale } from './locales';
export type { MessageKey } from './en';

const LOCALE_STORAGE_KEY = 'feige.locale';

export const locale = signal<Locale>('en');

/** The catalog of `locale`, or null until `initLocale` has loaded it. */
const activeCatalog = signal<Catalog | null>(null);

/** One `import()` per catalog, so that each is its own chunk and the page's first download carries neither. */
const catalogImports: Record<Locale, () => Promise<Catalog>> = {
  en: async () => (await import('./en')).en,
  'zh-CN': async () => (await import('./zh-CN')).zhCN,
};

/** One load per language, shared by every caller. A failed load is dropped, so a later call retries. */
const catalogLoads = new Map<Locale, Promise<Catalog>>();

/** The language of the latest request, so that a slower earlier load cannot override a later choice. */
let requestedLocale: Locale | null = null;

/** Loads and applies the stored choice, or else the browser's preferred languages. Call before the first render. */
export function initLocale(): Promise<void> {
  const stored = readStoredLocale();
  return applyLocale(stored ?? pickLocale(navigator.languages ?? [navigator.language]));
}

/** Stores the choice and switches once its catalog has loaded. Until then the current language stays. */
export async function setLocale(next: Locale): Promise<void> {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, next);
  } catch (error) {
    console.warn('[i18n] could not store the language choice', error);
  }

  try {
    await applyLocale(next);
  } catch (error) {
    console.error(`[i18n] loading the ${next} catalog failed, so the language stays ${locale.value}`, error);
  }
}

export function t(key: MessageKey, values?: MessageValues): string {
  const catalog = activeCatalog.value;
  if (!catalog) throw new Error(`t('${key}') was called before initLocale() loaded a catalog`);
  return fillTemplate(locale.value, catalog[key], values);
}

/** Returns the message for a server or form error in the active language, naming the value and the limit. */
export function errorText(details: ErrorDetails): string {
  const [key, values] = errorMessageFor(details);
  return t(key, values);
}

async function applyLocale(next: Locale): Promise<void> {
  requestedLocale = next;
  const catalog = await loadCatalog(next);
  if (requestedLocale !== next) return;

  batch(() => {
    activeCatalog.value = catalog;
    locale.value = next;
  });
  document.documentElement.lang = next;
  document.title = `${catalog['app.name']} ${next === 'zh-CN' ? 'Feige' : '飞鸽'}`;
}

function loadCatalog(target: Locale): Promise<Catalog> {
  let load = catalogLoads.get(target);
  if (!load) {
    load = catalogImports[target]();
    load.catch(() => catalogLoads.delete(target));
    catalogLoads.set(target, load);
  }
  return load;
}

function readStoredLocale(): Locale | null {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}
