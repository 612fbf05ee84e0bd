// The "as good" rule of docs/performance.md on hand-made figures: the bound is the two default
// runs' mean less their spread or 4 points, whichever is larger; a figure below it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bounds, failures, headlineFigures } from '../../bench/quickstart_verdict.js';

test('headline figures: every score, and the gap to blanked images for picture tasks only', () => {
  const figures = headlineFigures([
    { task: 'world-coco', metric: 'CIDEr', shots: 0, model: 91, blank: 31 },
    { task: 'world-mc', metric: 'acc', shots: 4, model: 79, blank: 79 },
  ]);
  assert.deepEqual(
    [...figures],
    [
      ['world-coco 0-shot CIDEr', 91],
      ['world-mc 4-shot acc', 79],
      ['world-coco 0-shot gap to blanked', 60],
    ],
  );
});

test('bounds: a spread of 10 sets the tolerance, a spread of 1 falls back to 4; a figure on its bound passes, below it fails', () => {
  const limits = bounds(
    new Map([
      ['cider', 90],
      ['vqa', 40],
    ]),
    new Map([
      ['cider', 100],
      ['vqa', 41],
    ]),
  );
  assert.deepEqual(
    limits.map((l) => l.bound),
    [95 - 10, 40.5 - 4],
  );
  assert.deepEqual(
    failures(
      new Map([
        ['cider', 85],
        ['vqa', 36.5],
      ]),
      limits,
    ),
    [],
  );
  assert.deepEqual(
    failures(
      new Map([
        ['cider', 84.9],
        ['vqa', 99],
      ]),
      limits,
    ),
    ['cider'],
  );
  assert.deepEqual(failures(new Map([['cider', 99]]), limits), ['vqa'], 'a missing figure fails');
});

test('bounds: a figure the second default run lacks is named', () => {
  assert.throws(() => bounds(new Map([['cider', 90]]), new Map()), /second default run has no 'cider'/);
});
