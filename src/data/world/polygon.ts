// The polygons' arithmetic (triangle, star, cross): signed distance, the inside test, and which
// samples of a row lie inside (polygonRuns, for coverage.ts). One module, so the renderer's
// per-row loop calls these directly rather than through another module's exports.
import type { RowRuns } from './coverage.js';

export type Polygon = readonly (readonly [number, number])[];

// Polygons are walked edge by edge, many times per outline row, so each edge's constants are
// laid out once in a flat array: [vx, vy, ex, ey, ex²+ey², y of the edge's other end] per
// vertex i, the edge running from vertex i to the previous vertex j. They are the very
// doubles the per-point arithmetic would compute, so the results do not change.
const STRIDE = 6;

export function flatten(poly: Polygon): Float64Array {
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
export function polygonSdf(e: Float64Array, px: number, py: number): number {
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
export function insidePolygon(e: Float64Array, px: number, py: number): boolean {
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

/** Rows this close to a vertex's y are tested sample by sample (see polygonRuns). */
const VERTEX_ROW = 1e-9;

// Per row, at most one flip per edge; reused (the renderer is synchronous).
const FLIP_AT = new Int32Array(64);
const FLIP_EDGE = new Int32Array(64);
const FLIP_SORTED = new Int32Array(64);

/**
 * The inside samples of a polygon's row at y, samples at xs[0..n) (non-decreasing), into runs.
 * An edge whose y-span holds the row flips the crossing parity once along it: crosses compares
 * a constant with e_y · (x − v_x), monotone in x, so the flip is the first sample where crosses
 * differs from its value at sample 0 (binary search), and the parity between flips gives the
 * runs. insidePolygon also rejects a point exactly on an edge (distance 0). That needs the
 * computed point v + e·t (t in [0, 1]) to equal the sample, so the sample lies within rounding
 * (~1e-16) of the edge's line, while its neighbours lie a sample step (~0.25 / r; e_y ≥ 0.05 for
 * these polygons) off it on either side, where crosses is decided, and differs: such a sample is
 * one of the two either side of that edge's flip (or, when the row has no flip, one of its two
 * ends), and only those are asked. An edge whose span does not hold the row is more than VERTEX_ROW off in y,
 * where nearEdgeBox skips it; rows within VERTEX_ROW of a vertex (horizontal edges, vertex 0's
 * test) take insidePolygon sample by sample.
 */
export function polygonRuns(e: Float64Array, xs: Float64Array, n: number, y: number, runs: RowRuns): void {
  for (let o = 0; o < e.length; o += STRIDE) if (Math.abs(y - e[o + 1]) <= VERTEX_ROW) return sampleRuns(e, xs, n, y, runs);
  let odd = false;
  let flips = 0;
  for (let o = 0; o < e.length; o += STRIDE) {
    if (y >= e[o + 1] !== y < e[o + 5]) continue; // crosses is false all along the row
    const first = crosses(e, o, xs[0], y);
    if (first) odd = !odd;
    FLIP_AT[flips] = first !== crosses(e, o, xs[n - 1], y) ? flipOf(e, o, xs, n, y, first) : n;
    FLIP_EDGE[flips++] = o;
  }
  // the flips in order (insertion sort: a few per row; no typed-array views made per row)
  const sorted = FLIP_SORTED;
  for (let f = 0; f < flips; f++) {
    let k = f;
    for (; k > 0 && sorted[k - 1] > FLIP_AT[f]; k--) sorted[k] = sorted[k - 1];
    sorted[k] = FLIP_AT[f];
  }
  let start = odd ? 0 : -1;
  for (let f = 0; f < flips && sorted[f] < n; f++) {
    if (start >= 0) {
      runs.add(start, sorted[f]);
      start = -1;
    } else start = sorted[f];
  }
  if (start >= 0) runs.add(start, n);
  for (let f = 0; f < flips; f++) {
    const o = FLIP_EDGE[f];
    const t = FLIP_AT[f];
    // either side of the flip; without a flip in the row, its two ends
    const j0 = t < n ? t - 1 : 0;
    const j1 = t < n ? t : n - 1;
    if (j0 >= 0 && onEdge(e, o, xs[j0], y) && parityAt(sorted, flips, odd, j0)) runs.remove(j0);
    if (j1 !== j0 && onEdge(e, o, xs[j1], y) && parityAt(sorted, flips, odd, j1)) runs.remove(j1);
  }
}

/** insidePolygon's test for a point exactly on the edge at offset o. */
function onEdge(e: Float64Array, o: number, x: number, y: number): boolean {
  return nearEdgeBox(e, o, x, y) && edgeDistanceSq(e, o, x, y) === 0;
}

/** The first sample in [1, n) where crosses differs from `first` (its value at sample 0). */
function flipOf(e: Float64Array, o: number, xs: Float64Array, n: number, y: number, first: boolean): number {
  let lo = 1;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (crosses(e, o, xs[mid], y) !== first) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The crossing parity at sample j: `odd` at sample 0, flipped at each sorted flip up to j. */
function parityAt(sorted: Int32Array, flips: number, odd: boolean, j: number): boolean {
  for (let f = 0; f < flips && sorted[f] <= j; f++) odd = !odd;
  return odd;
}

/** insidePolygon sample by sample, as runs. */
function sampleRuns(e: Float64Array, xs: Float64Array, n: number, y: number, runs: RowRuns): void {
  let start = -1;
  for (let j = 0; j < n; j++) {
    const inside = insidePolygon(e, xs[j], y);
    if (inside && start < 0) start = j;
    else if (!inside && start >= 0) {
      runs.add(start, j);
      start = -1;
    }
  }
  if (start >= 0) runs.add(start, n);
}
