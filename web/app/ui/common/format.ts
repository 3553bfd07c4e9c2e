// Dates and times in the active locale. Intl does the wording, so these
// strings need no catalog entries.

import { locale, type Locale } from '../../i18n';

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(active: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${active}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(active, options);
    formats.set(key, format);
  }
  return format;
}

export function startOfDay(ts: number): number {
  const date = new Date(ts);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** Formats hours and minutes, as on a message bubble. */
export function formatClock(ts: number): string {
  return dateFormat(locale.value, { hour: 'numeric', minute: '2-digit' }).format(ts);
}

/** Formats weekday and date for a day separator. The caller shows "Today" and "Yesterday" from the catalog. */
export function formatDay(ts: number, now: number): string {
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { weekday: 'long', month: 'long', day: 'numeric' }
    : { year: 'numeric', month: 'long', day: 'numeric' };
  return dateFormat(locale.value, options).format(ts);
}

/** Formats the time column of the conversation list: clock today, weekday this week, short date before. */
export function formatListTime(ts: number, now: number): string {
  if (sameDay(ts, now)) return formatClock(ts);

  const days = (startOfDay(now) - startOfDay(ts)) / 86_400_000;
  if (days > 0 && days < 7) return dateFormat(locale.value, { weekday: 'short' }).format(ts);
  return dateFormat(locale.value, { year: '2-digit', month: 'numeric', day: 'numeric' }).format(ts);
}

/** Formats date and time, for the session list. */
export function formatDateTime(ts: number): string {
  return dateFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(ts);
}
