// Synchronous look-up in both catalogs, free of browser globals, for tests
// and checks that need every language at once. The page loads only the
// active catalog through ./index.ts and must not call `translate`, which
// would put both catalogs into its first download.

import { en, type Catalog, type MessageKey } from './en';
import { fillTemplate, type Locale, type MessageValues } from './locales';
import { zhCN } from './zh-CN';

export { LOCALES, formatNumber, isLocale, pickLocale, type Locale, type MessageValues } from './locales';

const CATALOGS: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

/** Returns the catalog string for `key` with its placeholders filled (see `fillTemplate`). */
export function translate(locale: Locale, key: MessageKey, values?: MessageValues): string {
  return fillTemplate(locale, CATALOGS[locale][key], values);
}

export function catalogFor(locale: Locale): Catalog {
  return CATALOGS[locale];
}
