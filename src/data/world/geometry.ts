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

const SQUARE_HALF = 0.8;
const CIRCLE_R = 0.9;
const RING_MID = 0.75; // ring is the band 0.55..0.95
const RING_HALF = 0.2;

// Polygons are walked edge by edge, 16 times per outline pixel, so each edge's constants are
// laid out once in a flat array: [vx, vy, ex, ey, ex²+ey², y of the edge's other end] per
// vertex i, the edge running from vertex i to the previous vertex j. They are the very
// doubles the per-point arithmetic would compute, so the results do not change.
const STRIDE = 6;

function flatten(poly: Polygon): Float64Array {
  const out = new Float64Array(poly.length * STRIDE);
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i, i++) {
    const [vx, vy] = poly[i];
    const ex = poly[j][0] - vx;
    const ey = poly[j][1] - vy;
    out.set([vx, vy, ex, ey, ex * ex + ey * ey, poly[j][1]], i * STRIDE);
  }
  return out;
}

/** Squared distance from (px, py) to the edge at offset o of a flattened polygon. */
function edgeDistanceSq(e: Float64Array, o: number, px: number, py: number): number {
  const wx = px - e[o];
  const wy = py - e[o + 1];
  const t = Math.min(1, Math.max(0, (wx * e[o + 2] + wy * e[o + 3]) / e[o + 4]));
  const bx = wx - e[o + 2] * t;
  const by = wy - e[o + 3] * t;
  return bx * bx + by * by;
}

/** The winding-number step for the edge at offset o: does it flip the sign at (px, py)? */
function crosses(e: Float64Array, o: number, px: number, py: number): boolean {
  const c1 = py >= e[o + 1];
  const c2 = py < e[o + 5];
  if (c1 !== c2) return false; // (c1 && c2 && c3) || (!c1 && !c2 && !c3) is false whatever c3 is
  const c3 = e[o + 2] * (py - e[o + 1]) > e[o + 3] * (px - e[o]);
  return c1 ? c3 : !c3;
}

/** Squared distance to vertex 0, where polygonSdf's minimum starts. */
function vertexZeroDistanceSq(e: Float64Array, px: number, py: number): number {
  return (px - e[0]) * (px - e[0]) + (py - e[1]) * (py - e[1]);
}

/** Exact distance to a simple polygon with a winding-number sign (after Inigo Quilez). */
function polygonSdf(e: Float64Array, px: number, py: number): number {
  let d = vertexZeroDistanceSq(e, px, py);
  let sign = 1;
  for (let o = 0; o < e.length; o += STRIDE) {
    d = Math.min(d, edgeDistanceSq(e, o, px, py));
    if (crosses(e, o, px, py)) sign = -sign;
  }
  return sign * Math.sqrt(d);
}

/**
 * Exactly `polygonSdf(e, px, py) < 0`, at a fraction of its cost: the sign alone decides,
 * except that a point exactly on the outline (distance 0) is not inside, so distances are
 * only compared with zero, and only for points the crossing test puts inside.
 */
function insidePolygon(e: Float64Array, px: number, py: number): boolean {
  let odd = false;
  for (let o = 0; o < e.length; o += STRIDE) if (crosses(e, o, px, py)) odd = !odd;
  if (!odd || vertexZeroDistanceSq(e, px, py) === 0) return false;
  for (let o = 0; o < e.length; o += STRIDE) if (nearEdgeBox(e, o, px, py) && edgeDistanceSq(e, o, px, py) === 0) return false;
  return true;
}

/**
 * False when (px, py) is more than 1e-9 outside the edge's bounding box, where edgeDistanceSq
 * cannot be 0: its closest point (v + e·t, t clamped to [0, 1], every rounding monotone) stays in
 * the box, so |bx| or |by| is at least 1e-9 and the square at least 1e-18. Skips the division for
 * the many edges far from a point; the answer is unchanged.
 */
function nearEdgeBox(e: Float64Array, o: number, px: number, py: number): boolean {
  const x0 = e[o];
  const x1 = e[o] + e[o + 2];
  const y0 = e[o + 1];
  const y1 = e[o + 5];
  return px >= Math.min(x0, x1) - 1e-9 && px <= Math.max(x0, x1) + 1e-9 && py >= Math.min(y0, y1) - 1e-9 && py <= Math.max(y0, y1) + 1e-9;
}

const TRIANGLE_EDGES = flatten(TRIANGLE);
const STAR_EDGES = flatten(STAR);
const CROSS_EDGES = flatten(CROSS);

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

/**
 * Exactly `shapeSdf(shape, px, py) < 0` (the renderer's supersampling asks only this, 16 times
 * per edge pixel): the same arithmetic where the sign needs it, skipping the rest.
 */
export function insideShape(shape: Shape, px: number, py: number): boolean {
  switch (shape) {
    case 'square':
      // boxSdf < 0 exactly when both axes are strictly inside (on an edge it is 0, outside > 0).
      return Math.abs(px) - SQUARE_HALF < 0 && Math.abs(py) - SQUARE_HALF < 0;
    case 'triangle':
      return insidePolygon(TRIANGLE_EDGES, px, py);
    case 'star':
      return insidePolygon(STAR_EDGES, px, py);
    case 'cross':
      return insidePolygon(CROSS_EDGES, px, py);
    default:
      return shapeSdf(shape, px, py) < 0;
  }
}
