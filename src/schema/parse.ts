// Parsing a value read from a file or the command line against a zod schema, with the one
// error format of format_issues.ts.
import type { z } from 'zod';
import { formatIssues } from './format_issues.js';

/** Parse with a zod schema; the error names `source`, every bad field (by path) and what was expected, then `hint`. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, source: string, hint = ''): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${source} is invalid:\n${formatIssues(r.error.issues, { schema })}${hint ? `\n${hint}` : ''}`);
  return r.data;
}
