// The error details the app passes around, and their messages in a given
// language. `describeError` reads both catalogs, so the page uses `errorText`
// from ./index.ts instead, which reads only the active one.

import type { ErrorCode } from '../../../protocol/errors';
import { errorMessageFor } from './error-keys';
import { translate, type Locale } from './translate';

/** `network`: no response from the server. `bad_response`: a response that failed its schema check. */
export type ClientErrorCode = 'network' | 'bad_response';

export interface ErrorDetails {
  code: ErrorCode | ClientErrorCode;
  limit?: number;
  value?: number;
  field?: string;
}

export function describeError(locale: Locale, details: ErrorDetails): string {
  const [key, values] = errorMessageFor(details);
  return translate(locale, key, values);
}
