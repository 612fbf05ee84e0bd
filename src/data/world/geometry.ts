// Signed distance functions of the six shapes, in shape units (radius 1, y pointing down):
// negative inside, positive outside, |value| = Euclidean distance to the outline. The renderer
// uses the distance to skip pixels far from an edge and supersamples only the rest.
//
// No Math.sin/cos/atan2 here: their last bits may differ between JavaScript engines and
// platforms, and the hash test needs byte-identical images, so polygon vertices are literals.
import type { Shape } from './lexicon.js';

type Polygon = readonly (readonly [number, number])[];

const STAR_INNER = 0.45;
// Unit vectors at -90°, -54°, ..., 234°: outer points at even indices, inner at odd.
const STAR_DIRS: Polygon = [
  [0, -1], [0.5877852523, -0.8090169944], [0.9510565163, -0.3090169944],
  [0.9510565163, 0.3090169944], [0.5877852523, 0.8090169944], [0, 1],
  [-0.5877852523, 0.8090169944], [-0.9510565163, 0.3090169944],
  [-0.9510565163, -0.3090169944], [-0.5877852523, -0.8090169944],
];
const STAR: Polygon = STAR_DIRS.map(([x, y], i) => {
  const r = i % 2 === 0 ? 1 : STAR_INNER;
  return [x * r, y * r + 0.1] as const; // nudged down: the five points sit high
});

const TRIANGLE: Polygon = [[0, -0.95], [1, 0.8], [-1, 0.8]];

const ARM = 0.3; // half width of a cross arm
const REACH = 0.95;
const CROSS: Polygon = [
  [-ARM, -REACH], [ARM, -REACH], [ARM, -ARM], [REACH, -ARM], [REACH, ARM], [ARM, ARM],
  [ARM, REACH], [-ARM, REACH], [-ARM, ARM], [-REACH, ARM], [-REACH, -ARM], [-ARM, -ARM],
];

const SQUARE_HALF = 0.8;
const CIRCLE_R = 0.9;
const RING_MID = 0.75; // ring is the band 0.55..0.95
const RING_HALF = 0.2;

/** Exact distance to a simple polygon with a winding-number sign (after Inigo Quilez). */
function polygonSdf(poly: Polygon, px: number, py: number): number {
  let [vx, vy] = poly[0];
  let d = (px - vx) * (px - vx) + (py - vy) * (py - vy);
  let sign = 1;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i, i++) {
    [vx, vy] = poly[i];
    const ex = poly[j][0] - vx;
    const ey = poly[j][1] - vy;
    const wx = px - vx;
    const wy = py - vy;
    const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
    const bx = wx - ex * t;
    const by = wy - ey * t;
    d = Math.min(d, bx * bx + by * by);
    const c1 = py >= vy;
    const c2 = py < poly[j][1];
    const c3 = ex * wy > ey * wx;
    if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) sign = -sign;
  }
  return sign * Math.sqrt(d);
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
      return polygonSdf(TRIANGLE, px, py);
    case 'star':
      return polygonSdf(STAR, px, py);
    case 'cross':
      return polygonSdf(CROSS, px, py);
  }
}

