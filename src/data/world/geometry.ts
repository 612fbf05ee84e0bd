// Signed distance functions of the six shapes, in shape units (radius 1, y pointing down):
// negative inside, positive outside, |value| = Euclidean distance to the outline. They define
// the shapes: the renderer asks only whether a sample is inside, exactly sdf < 0, a row of
// samples at a time (coverage.ts; polygon.ts insidePolygon), and test/data/coverage.test.ts
// checks that against the distances.
//
// No Math.sin/cos/atan2 here: their last bits may differ between JavaScript engines and
// platforms, and the hash test needs byte-identical images, so polygon vertices are literals.
import type { Shape } from './lexicon.js';
import { flatten, polygonSdf, type Polygon } from './polygon.js';

const STAR_INNER = 0.45;
// Unit vectors at -90°, -54°, ..., 234°: outer points at even indices, inner at odd.
const STAR_DIRS: Polygon = [
  [0, -1],
  [0.5877852523, -0.8090169944],
  [0.9510565163, -0.3090169944],
  [0.9510565163, 0.3090169944],
  [0.5877852523, 0.8090169944],
  [0, 1],
  [-0.5877852523, 0.8090169944],
  [-0.9510565163, 0.3090169944],
  [-0.9510565163, -0.3090169944],
  [-0.5877852523, -0.8090169944],
];
const STAR: Polygon = STAR_DIRS.map(([x, y], i) => {
  const r = i % 2 === 0 ? 1 : STAR_INNER;
  return [x * r, y * r + 0.1] as const; // nudged down: the five points sit high
});

const TRIANGLE: Polygon = [
  [0, -0.95],
  [1, 0.8],
  [-1, 0.8],
];

const ARM = 0.3; // half width of a cross arm
const REACH = 0.95;
const CROSS: Polygon = [
  [-ARM, -REACH],
  [ARM, -REACH],
  [ARM, -ARM],
  [REACH, -ARM],
  [REACH, ARM],
  [ARM, ARM],
  [ARM, REACH],
  [-ARM, REACH],
  [-ARM, ARM],
  [-REACH, ARM],
  [-REACH, -ARM],
  [-ARM, -ARM],
];

export const SQUARE_HALF = 0.8;
export const CIRCLE_R = 0.9;
export const RING_MID = 0.75; // ring is the band 0.55..0.95
export const RING_HALF = 0.2;

const TRIANGLE_EDGES = flatten(TRIANGLE);
const STAR_EDGES = flatten(STAR);
const CROSS_EDGES = flatten(CROSS);

/** The polygons' flattened edges (coverage.ts walks them row by row), null for the round and square shapes. */
export function polygonEdges(shape: Shape): Float64Array | null {
  return shape === 'triangle' ? TRIANGLE_EDGES : shape === 'star' ? STAR_EDGES : shape === 'cross' ? CROSS_EDGES : null;
}

function boxSdf(px: number, py: number, half: number): number {
  const qx = Math.abs(px) - half;
  const qy = Math.abs(py) - half;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0);
}

/** Signed distance from (px, py) to the outline of `shape` centred at the origin with radius 1. */
export function shapeSdf(shape: Shape, px: number, py: number): number {
  switch (shape) {
    case 'circle':
      return Math.sqrt(px * px + py * py) - CIRCLE_R;
    case 'ring':
      return Math.abs(Math.sqrt(px * px + py * py) - RING_MID) - RING_HALF;
    case 'square':
      return boxSdf(px, py, SQUARE_HALF);
    case 'triangle':
      return polygonSdf(TRIANGLE_EDGES, px, py);
    case 'star':
      return polygonSdf(STAR_EDGES, px, py);
    case 'cross':
      return polygonSdf(CROSS_EDGES, px, py);
  }
}
