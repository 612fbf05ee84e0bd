// The clean twins of experiments/reading/vizwiz_clean.ts must be the studies' pictures before
// degradeImage: degrading a twin again gives the studies' picture byte for byte, so the two
// versions differ in the spoiling only (same scene, question, answers and id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degradeImage } from '../../src/data/world/vizwiz.js';
import { CLEAN_TASK, DEGRADED_TASK, cleanTwin, groupsOf, parseDegradation } from '../../experiments/reading/vizwiz_twins.js';
import type { WorldVqaItem } from '../../src/data/world/index.js';

test('a clean twin re-degraded is the studies picture, and differs from it before', async () => {
  const opts = { seed: 0, limit: 24, worldVersion: 2 as const, renderSize: 32 };
  const [degraded, clean] = await Promise.all([DEGRADED_TASK.load(opts), CLEAN_TASK.load(opts)]);
  assert.equal(clean.length, degraded.length);
  const kinds = new Set<string>();
  degraded.forEach((d, i) => {
    const w = d as WorldVqaItem;
    const c = clean[i] as WorldVqaItem;
    assert.deepEqual([c.id, c.question, c.answers, c.degradation], [w.id, w.question, w.answers, w.degradation]);
    assert.deepEqual(degradeImage(c.image, parseDegradation(w.degradation!)).data, w.image.data, `item ${w.id} (${w.degradation})`);
    assert.notDeepEqual(c.image.data, w.image.data, `item ${w.id}: the twin should be unspoiled`);
    kinds.add(w.degradation!.split('-')[0]);
  });
  assert.deepEqual([...kinds].sort(), ['blur', 'cover', 'dark'], 'the first items should exercise every degradation kind');
});

test('cleanTwin refuses an item without a scene', () => {
  assert.throws(() => cleanTwin({ id: 'x', image: { path: 'a.png' }, question: 'q', answers: [] }), /x has no scene/);
});

test('groups: answerable dark and blur pool, covers pool, unanswerable stays apart', () => {
  const item = (degradation: string, answer: string) => ({ answers: Array<string>(10).fill(answer), degradation }) as WorldVqaItem;
  assert.deepEqual(groupsOf(item('dark', 'red')), ['all', 'answerable', 'answerable, dark', 'answerable dark+blur']);
  assert.deepEqual(groupsOf(item('cover-left', 'red')), ['all', 'answerable', 'answerable, cover-left', 'answerable cover']);
  assert.deepEqual(groupsOf(item('blur', 'unanswerable')), ['all', 'unanswerable', 'unanswerable, blur']);
  assert.throws(() => parseDegradation('cover-middle'), /cover-middle/);
});
