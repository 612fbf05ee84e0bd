// Reads a JSON input file and checks its shape, with errors that name the file, the offending
// field and the expected format.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { formatIssues } from './format_issues.js';

/** `what` names the file's role in messages, e.g. "--results". `format` describes the expected
 *  layout for the hint. */
export function readJsonFile<T>(path: string, what: string, schema: z.ZodType<T>, format: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
    throw new Error(`cannot read ${what} file ${path}: ${why}. Check the path.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} file ${path} is not valid JSON (${(err as Error).message}). Expected ${format}.`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new Error(`${what} file ${path} does not have the expected shape:\n${formatIssues(parsed.error.issues, { limit: 3 })}\nExpected ${format}.`);
  return parsed.data;
}
