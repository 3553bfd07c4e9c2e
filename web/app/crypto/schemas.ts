// Schema helpers shared by this library: byte fields of stored state,
// decoding of base64url fields, and readable schema errors. The wire shapes
// themselves are in protocol/envelope.ts.

import * as z from 'zod/mini';
import { fromBase64Url, isBytes, type Bytes } from './bytes';

/** Returns a schema for a Uint8Array of exactly `length` bytes, or of any length when `length` is left out. */
export function storedBytes(length?: number) {
  const message = length === undefined ? 'expected a Uint8Array' : `expected a Uint8Array of ${length} bytes`;
  return z.custom<Bytes>((value) => isBytes(value) && (length === undefined || value.length === length), {
    message,
  });
}

/**
 * Decodes a field that already passed its schema. The schema cannot see
 * non-zero trailing bits, so this can still fail; `fail` turns that into the
 * caller's error type.
 */
export function decodeField(text: string, field: string, fail: (field: string, message: string) => Error): Bytes {
  try {
    return fromBase64Url(text);
  } catch (error) {
    throw fail(field, `${field} is not canonical base64url: ${(error as Error).message}`);
  }
}

interface SchemaIssue {
  path: PropertyKey[];
  code: string;
  expected?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  keys?: string[];
}

/** Returns the dotted path of the field an issue is about, or `(root)`. */
export function issueField(issue: SchemaIssue): string {
  return issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
}

/** Describes one schema issue in words, naming the field and the broken bound where there is one. */
export function describeIssue(issue: SchemaIssue): string {
  const field = issueField(issue);
  switch (issue.code) {
    case 'invalid_type':
      return `${field}: expected ${String(issue.expected)}`;
    case 'too_small':
      return `${field}: below the minimum ${String(issue.minimum)}`;
    case 'too_big':
      return `${field}: above the maximum ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `${field}: unknown keys ${(issue.keys ?? []).join(', ')}`;
    default:
      return `${field}: invalid (${issue.code})`;
  }
}
