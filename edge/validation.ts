// Schema validation shared by the routes and the Durable Object. Importing
// this module loads zod's English messages once for the whole Worker, because
// zod/mini ships without them and would otherwise report only "Invalid input".

import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Validates `input` against `schema`; a failure names the first invalid field and what is wrong with it. */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown): ValidationResult<T> {
  const result = z.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.data };

  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const message = `${field}: ${issue?.message ?? 'invalid value'}`;
  return { ok: false, field, message };
}
