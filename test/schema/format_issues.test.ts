// The one formatter of validation errors: paths as a user writes them, unknown keys with the
// nearest valid key, a non-object top level named as such.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { formatIssues, issuePath } from '../../src/schema/format_issues.js';
import { keysAt } from '../../src/schema/keys_at.js';
import { parseWith } from '../../src/schema/parse.js';

const Schema = z.strictObject({
  train: z.strictObject({ steps: z.number(), batchSize: z.number().default(8), lrScale: z.strictObject({ vision: z.number() }).partial().default({}) }),
  items: z.array(z.strictObject({ name: z.string() })).default([]),
});

const errorOf = (raw: unknown): string => {
  try {
    parseWith(Schema, raw, 'run.json');
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the parse to fail');
};

test('an unknown key is named by its path with the nearest valid key at that depth', () => {
  assert.equal(
    errorOf({ train: { stpes: 10 } }),
    'run.json is invalid:\n  train.steps: expected number, but the field is missing\n  train.stpes: unknown key; did you mean train.steps?',
  );
  assert.match(errorOf({ train: { steps: 1, batch_size: 4 } }), /\n {2}train\.batch_size: unknown key; did you mean train\.batchSize\?$/);
  assert.match(errorOf({ train: { steps: 1, lrScale: { Vision: 0.1 } } }), /train\.lrScale\.Vision: unknown key; did you mean train\.lrScale\.vision\?/);
  assert.match(errorOf({ trian: {}, train: { steps: 1 } }), /\n {2}trian: unknown key; did you mean train\?/);
  assert.match(errorOf({ train: { steps: 1 }, items: [{ nmae: 'a' }] }), /items\[0\]\.nmae: unknown key; did you mean items\[0\]\.name\?/);
});

test('an unknown key with no near match lists the valid keys instead of guessing', () => {
  assert.match(errorOf({ train: { steps: 1, optimizer: 'sgd' } }), /train\.optimizer: unknown key; valid keys here: steps, batchSize, lrScale$/);
});

test('a top level that is not an object says what it is', () => {
  assert.match(errorOf([1, 2]), /\(top level\): expected a JSON object \{\.\.\.\}, got a JSON array/);
  assert.match(errorOf(null), /\(top level\): expected a JSON object \{\.\.\.\}, got null/);
});

test('paths read as written: dots for keys, brackets for list positions', () => {
  assert.equal(issuePath([]), '(top level)');
  assert.equal(issuePath(['train', 'freeze', 0]), 'train.freeze[0]');
  assert.equal(issuePath(['questions', 3, 'question_id']), 'questions[3].question_id');
});

test('keysAt walks through defaults, arrays and optional wrappers', () => {
  assert.deepEqual(keysAt(Schema, []), ['train', 'items']);
  assert.deepEqual(keysAt(Schema, ['train', 'lrScale']), ['vision']);
  assert.deepEqual(keysAt(Schema, ['items', 0]), ['name']);
  assert.deepEqual(keysAt(Schema, ['train', 'steps']), [], 'a number has no keys');
});

test('a limit shows the first problems and counts the rest', () => {
  const r = z.array(z.number()).safeParse(['a', 'b', 'c', 'd']);
  assert.ok(!r.success);
  assert.equal(
    formatIssues(r.error.issues, { limit: 2 }),
    '  [0]: expected number, received string\n  [1]: expected number, received string\n  ... and 2 more problems',
  );
});
