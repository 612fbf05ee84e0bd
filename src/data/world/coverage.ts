// Which of an outline's supersamples lie inside, one row of samples at a time. The renderer
// counts, per pixel, its 4×4 samples for which the outline's inside test (exactly geometry.ts
// shapeSdf < 0: `inside` below, polygon.ts insidePolygon) holds. Along a row of samples that test changes value only a few times, and
// where it does is found by binary search with the very test, so the runs found here hold
// exactly the samples the test would accept one by one:
//
// - sample x coordinates increase along a row (px + (sx + 0.5) / 4 is exact, and subtracting the
//   centre and dividing by the radius round monotonically), so every quantity below that is a
//   rounded monotone function of x is monotone along the row;
// - circle, dot, square: the test depends on x through x², or |x|, alone: false then true left
//   of x = 0, true then false right of it;
// - ring: the same around its middle circle, on each side of where √(x² + y²) crosses RING_MID;
// - polygons: the inside test is the parity of edge crossings, and each edge's crossing test is
//   monotone along a row (geometry.ts crosses: a constant compared with e_y · (x − v_x)), so its
//   one flip is found by binary search; then a point exactly on an edge is not inside, which can
//   only be a sample next to that edge's flip (see polygonRuns).
import { CIRCLE_R, polygonEdges, RING_HALF, RING_MID, SQUARE_HALF } from './geometry.js';
import type { Shape } from './lexicon.js';
import { polygonRuns } from './polygon.js';

/** What the renderer fills: one of the six shapes, or a dot (a disc of radius 1). */
export type Outline = Shape | 'disc';

/** A row's inside samples: runs [start, end) of sample indices, less single samples taken out. */
export class RowRuns {
  starts = new Int32Array(32);
  ends = new Int32Array(32);
  count = 0;
  removed = new Int32Array(16);
  removedCount = 0;

  clear(): void {
    this.count = 0;
    this.removedCount = 0;
  }

  add(start: number, end: number): void {
    if (start >= end) return;
    if (this.count === this.starts.length) [this.starts, this.ends] = [grow(this.starts), grow(this.ends)];
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }

  /** Takes sample j out (it lies in a run); once, however many edges it lies on. */
  remove(j: number): void {
    for (let i = 0; i < this.removedCount; i++) if (this.removed[i] === j) return;
    if (this.removedCount === this.removed.length) this.removed = grow(this.removed);
    this.removed[this.removedCount++] = j;
  }
}

function grow(a: Int32Array) {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}

// The round and square shapes' inside tests, exactly shapeSdf < 0 with the arithmetic the sign
// needs (and the renderer's dots: a disc of radius 1); test/data/coverage.test.ts checks them. Local
// copies of the constants and a switch, not closures: this runs ~20 times per row of samples.
const [ROUND_R, SQUARE, RING_M, RING_H] = [CIRCLE_R, SQUARE_HALF, RING_MID, RING_HALF];
const enum Kind {
  Circle,
  Disc,
  Square,
  Ring,
}

function inside(kind: Kind, x: number, y: number): boolean {
  switch (kind) {
    case Kind.Circle:
      return Math.sqrt(x * x + y * y) - ROUND_R < 0;
    case Kind.Disc:
      return Math.sqrt(x * x + y * y) - 1 < 0;
    case Kind.Square:
      return Math.abs(x) - SQUARE < 0 && Math.abs(y) - SQUARE < 0;
    case Kind.Ring:
      return Math.abs(Math.sqrt(x * x + y * y) - RING_M) - RING_H < 0;
  }
}

/** First j in [lo, hi) where inside(kind, xs[j], y) is `want`, where it is not, then is; hi if never. */
function firstWhere(kind: Kind, want: boolean, xs: Float64Array, lo: number, hi: number, y: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inside(kind, xs[mid], y) === want) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First j in [lo, hi) where (√(x² + y²) ≥ RING_MID) is `want`; hi if never. */
function firstRadius(want: boolean, xs: Float64Array, lo: number, hi: number, y: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Math.sqrt(xs[mid] * xs[mid] + y * y) >= RING_M === want) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First j in [0, n) with xs[j] >= 0; n if none. */
function firstNonNegative(xs: Float64Array, n: number): number {
  let [lo, hi] = [0, n];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The inside samples of the row at y (shape units), for samples at xs[0..n) (non-decreasing),
 * into `runs` (cleared first).
 */
export function outlineRuns(outline: Outline, xs: Float64Array, n: number, y: number, runs: RowRuns): void {
  runs.clear();
  if (n === 0) return;
  const edges = outline === 'disc' ? null : polygonEdges(outline);
  if (edges) return polygonRuns(edges, xs, n, y, runs);
  const mid = firstNonNegative(xs, n); // x < 0 before, x >= 0 from here
  const kind = outline === 'disc' ? Kind.Disc : outline === 'circle' ? Kind.Circle : outline === 'square' ? Kind.Square : Kind.Ring;
  if (kind === Kind.Ring) return ringRuns(xs, n, mid, y, runs);
  // circle, dot, square: inside on [a, mid) left of x = 0 and on [mid, b) right of it
  runs.add(firstWhere(kind, true, xs, 0, mid, y), firstWhere(kind, false, xs, mid, n, y));
}

/**
 * The ring is |√(x² + y²) − RING_MID| − RING_HALF < 0. On each side of x = 0 the radius s is
 * monotone along the row; where s < RING_MID the test falls as s grows, elsewhere it rises
 * (s − RING_MID keeps its sign exactly), so each side is two monotone pieces.
 */
function ringRuns(xs: Float64Array, n: number, mid: number, y: number, runs: RowRuns): void {
  const m1 = firstRadius(false, xs, 0, mid, y); // left of x = 0, s falls along the row
  runs.add(firstWhere(Kind.Ring, true, xs, 0, m1, y), m1);
  runs.add(m1, firstWhere(Kind.Ring, false, xs, m1, mid, y));
  const m2 = firstRadius(true, xs, mid, n, y); // right of it, s rises
  runs.add(firstWhere(Kind.Ring, true, xs, mid, m2, y), m2);
  runs.add(m2, firstWhere(Kind.Ring, false, xs, m2, n, y));
}
