// The supported languages, the choice among them and placeholder filling.
// Holds no catalog, so the page can import it without loading any language.

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageValues = Record<string, string | number>;

const PLACEHOLDER = /\{(\w+)\}/g;

const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks zh-CN for the first language tag that is Chinese of any region or script, else English. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/**
 * Returns `template` with each `{name}` replaced by `values[name]`. A
 * placeholder without a value stays visible, so a missing value shows up in
 * the UI and in tests instead of vanishing.
 */
export function fillTemplate(locale: Locale, template: string, values?: MessageValues): string {
  if (!values) return template;

  return template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) return placeholder;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}
