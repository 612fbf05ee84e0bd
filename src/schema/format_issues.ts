// The one way mm1 turns zod's validation issues into text: one line per problem, naming the
// field by its path (train.freeze[0]), what was wrong, and for an unknown key the nearest
// valid one ("train.stpes: unknown key; did you mean train.steps?").
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { keysAt } from './keys_at.js';

/** `train.freeze[0]`; '(top level)' for the root. */
export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** The valid key closest to `key`, if one is close enough to be a typo of it. */
function nearestKey(key: string, valid: string[]): string | undefined {
  const lower = valid.find((v) => v.toLowerCase() === key.toLowerCase());
  if (lower) return lower;
  if (valid.length === 0) return undefined;
  // Up to a third of the key's letters (at least 2) may differ: "stpes" -> "steps", "batch_size" -> "batchSize".
  const near = closest(key, valid);
  return distance(key, near) <= Math.max(2, Math.floor(key.length / 3)) ? near : undefined;
}

function unknownKeyLine(root: z.ZodType | undefined, issue: z.core.$ZodIssueUnrecognizedKeys): string[] {
  const valid = root ? keysAt(root, issue.path) : [];
  const prefix = issue.path.length ? `${issuePath(issue.path)}.` : '';
  return issue.keys.map((key) => {
    const near = nearestKey(key, valid);
    const fix = near ? `did you mean ${prefix}${near}?` : valid.length ? `valid keys here: ${valid.join(', ')}` : 'remove it';
    return `${prefix}${key}: unknown key; ${fix}`;
  });
}

/** zod's message without its generic lead-in, and a missing field called missing. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.path.length === 0 && issue.expected === 'object') {
    const received = /received (\w+)$/.exec(issue.message)?.[1] ?? 'something else';
    return `expected a JSON object {...}, got ${received === 'array' ? 'a JSON array' : received}`;
  }
  return issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, ', but the field is missing');
}

export interface FormatIssuesOptions {
  /** The schema that was parsed: lets an unknown key name the nearest valid one. */
  schema?: z.ZodType;
  /** Show at most this many problems, then "... and N more". */
  limit?: number;
}

/** One line per problem, unindented. */
export function issueLines(issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): string[] {
  return issues.flatMap((i) => (i.code === 'unrecognized_keys' ? unknownKeyLine(schema, i) : [`${issuePath(i.path)}: ${plainMessage(i)}`]));
}

/** One indented line per problem. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], o: FormatIssuesOptions = {}): string {
  const lines = issueLines(issues, o.schema);
  const shown = o.limit !== undefined ? lines.slice(0, o.limit) : lines;
  const more = lines.length - shown.length;
  return shown.map((l) => `  ${l}`).join('\n') + (more > 0 ? `\n  ... and ${more} more problems` : '');
}
