// The active UI language as a signal. Components that call `t()` re-render
// when it changes; the choice persists in localStorage.

import { signal } from '@preact/signals';
import type { MessageKey } from './en';
import { describeError, type ErrorDetails } from './errors';
import { isLocale, pickLocale, translate, type Locale, type MessageValues } from './translate';

export { LOCALES, formatNumber, type Locale } from './translate';
export type { MessageKey } from './en';

const LOCALE_STORAGE_KEY = 'feige.locale';

export const locale = signal<Locale>('en');

/** Applies the stored choice, or else the browser's preferred languages. */
export function initLocale(): void {
  const stored = readStoredLocale();
  applyLocale(stored ?? pickLocale(navigator.languages ?? [navigator.language]));
}

export function setLocale(next: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, next);
  } catch (error) {
    console.warn('[i18n] could not store the language choice', error);
  }
  applyLocale(next);
}

export function t(key: MessageKey, values?: MessageValues): string {
  return translate(locale.value, key, values);
}

/** Returns the message for a server or form error in the active language, naming the value and the limit. */
export function errorText(details: ErrorDetails): string {
  return describeError(locale.value, details);
}

function applyLocale(next: Locale): void {
  locale.value = next;
  document.documentElement.lang = next;
  document.title = `${translate(next, 'app.name')} ${next === 'zh-CN' ? 'Feige' : '飞鸽'}`;
}

function readStoredLocale(): Locale | null {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}
