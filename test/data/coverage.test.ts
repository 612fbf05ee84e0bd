// coverage.ts finds a row of samples' inside runs by binary search instead of asking every
// sample; the renderer's bytes depend on it giving exactly the samples the shape's definition
// (geometry.ts shapeSdf < 0; a dot: a disc of radius 1) accepts. Checked here sample by sample,
// on the rows the renderer walks (random centres, radii and picture edges) and on rows built
// to put samples exactly on a vertex's row, on an edge, or on a corner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outlineRuns, RowRuns, type Outline } from '../../src/data/world/coverage.js';
import { shapeSdf } from '../../src/data/world/geometry.js';
import { Rng } from '../../src/engine/rng.js';

const OUTLINES: Outline[] = ['circle', 'square', 'triangle', 'star', 'cross', 'ring', 'disc'];

const definedInside = (o: Outline, x: number, y: number) => (o === 'disc' ? Math.sqrt(x * x + y * y) - 1 < 0 : shapeSdf(o, x, y) < 0);

/** Per sample of the row, whether the runs hold it. */
function membership(runs: RowRuns, n: number): boolean[] {
  const inside = new Array<boolean>(n).fill(false);
  for (let k = 0; k < runs.count; k++) for (let j = runs.starts[k]; j < runs.ends[k]; j++) inside[j] = true;
  for (let k = 0; k < runs.removedCount; k++) {
    assert.ok(inside[runs.removed[k]], `sample ${runs.removed[k]} taken out but not in a run`);
    inside[runs.removed[k]] = false;
  }
  return inside;
}

function checkRow(o: Outline, xs: Float64Array, y: number, what: string): void {
  const runs = new RowRuns();
  outlineRuns(o, xs, xs.length, y, runs);
  const got = membership(runs, xs.length);
  for (let j = 0; j < xs.length; j++) {
    if (got[j] !== definedInside(o, xs[j], y))
      assert.fail(`${o}, ${what}: sample ${j} at (${xs[j]}, ${y}) is ${got[j] ? 'in' : 'out'}, the shape says ${got[j] ? 'out' : 'in'}`);
  }
}

test('the runs hold exactly the samples inside, on the rows the renderer walks', () => {
  const rng = new Rng(3);
  const size = 128;
  for (const o of OUTLINES) {
    for (let s = 0; s < 120; s++) {
      // centres anywhere, a few past the picture's edges (the box is clamped there); radii from a
      // dot's to the largest shape at 200 px
      const [cx, cy, r] = [rng.next() * 140 - 6, rng.next() * 140 - 6, 0.4 + rng.next() * 30];
      const x0 = Math.max(0, Math.floor(cx - r - 1));
      const x1 = Math.min(size - 1, Math.ceil(cx + r + 1));
      const y0 = Math.max(0, Math.floor(cy - r - 1));
      const y1 = Math.min(size - 1, Math.ceil(cy + r + 1));
      if (x1 < x0 || y1 < y0) continue;
      const xs = Float64Array.from({ length: 4 * (x1 - x0 + 1) }, (_, j) => (x0 + (j >> 2) + ((j & 3) + 0.5) / 4 - cx) / r);
      for (let py = y0; py <= y1; py++) for (let sy = 0; sy < 4; sy++) checkRow(o, xs, (py + (sy + 0.5) / 4 - cy) / r, `centre (${cx}, ${cy}) r ${r}`);
    }
  }
});

test('samples on a vertex row, on an edge or on a corner are what the shape says', () => {
  // a row of samples 1/64 apart with the special x values put in, in order
  const row = (...special: number[]) => Float64Array.from([...Array.from({ length: 161 }, (_, k) => -1.25 + k / 64), ...special].sort((a, b) => a - b));
  const cases: [Outline, number, number[]][] = [
    ['cross', 0.5, [0.3, -0.3]], // on the vertical edges x = ±ARM: distance 0, not inside
    ['cross', -0.3, [0.3, -0.3, 0.95, -0.95, 0]], // the row of the arms' horizontal edges and corners
    ['cross', 0.3, [0.3, -0.3, 0.95]],
    ['cross', -0.95, [0.3, -0.3, 0]],
    ['cross', 0.95, [0.3, -0.3]],
    ['triangle', 0.8, [1, -1, 0]], // the base, a horizontal edge
    ['triangle', -0.95, [0]], // the apex, vertex 0
    ['triangle', 0, [0.5, -0.5]],
    ['square', 0.8, [0.8, -0.8]],
    ['square', 0.5, [0.8, -0.8]],
    ['circle', 0, [0.9, -0.9]],
    ['ring', 0, [0.55, 0.95, -0.55, -0.95, 0.75]],
    ['ring', 0.55, [0]],
    ['disc', 0, [1, -1]],
    ['star', -0.9, [0]],
    ['star', 0.1, [0]],
  ];
  for (const [o, y, special] of cases) checkRow(o, row(...special), y, `row y = ${y}`);
  // every row 1/64 apart, with samples on the cross's and square's vertical edges, the polygons'
  // vertices' x and the round shapes' radii
  const edges = [0.3, -0.3, 0.95, -0.95, 0.8, -0.8, 1, -1, 0.9, -0.9, 0.55, -0.55, 0.75, -0.75, 0, 0.5877852523, -0.5877852523, 0.9510565163, -0.9510565163];
  for (const o of OUTLINES) for (let k = -80; k <= 80; k++) checkRow(o, row(...edges), k / 64, `row y = ${k}/64`);
});
