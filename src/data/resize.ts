// Bicubic resize of an in-memory RgbImage, following Pillow's Image.resize(BICUBIC)
// (src/libImaging/Resample.c): Keys cubic with a = -0.5, the kernel widened by the scale
// factor when shrinking (antialiasing), taps outside the image dropped and the rest
// renormalised, 22-bit fixed-point weights, horizontal pass to uint8, then vertical pass.
//
// Why hand-written rather than sharp's 'cubic' kernel: CLIP / HF image processors resize
// with Pillow, so following Pillow's arithmetic keeps our pixels equal to the reference
// preprocessing; it is synchronous (the packer calls a plain function per image, no
// promise per crop); and for the small in-memory images of the synthetic world it is the
// faster of the two. bench/resize.ts on this 2-core box: 128→64 0.40 ms (TS) vs 0.56 ms
// (sharp raw round trip), 64→128 0.54 vs 0.82 ms; but 640→336 9.9 vs 1.6 ms — for large
// photos libvips' SIMD wins, so readers of big files may pre-shrink with sharp first.

import type { RgbImage } from './document.js';
import { normalizeBytesInto } from './normalize.js';

const PRECISION_BITS = 22; // Pillow: 32 - 8 - 2 (8 bits of pixel, 2 of headroom for overshoot)
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const INV_ONE = 1 / ONE;
/**
 * The 8-tap fast paths add in 32-bit integers (Math.imul, `| 0`): wrapping arithmetic, so every
 * partial sum may wrap and the final sum is still exact when the true sum lies in [-2^31, 2^31).
 * It does when HALF + 255 · Σ|weight| stays within this (Σ|weight| is about 1.1 · ONE for a
 * 2× shrink, so ~1.2e9 of 2.1e9): bicubicTaps marks only such outputs.
 */
const INT32_SUM = 2 ** 31 - 1;

function cubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Per output index: first input index, tap count, and fixed-point weights. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  /** [outSize, maxTaps] fixed-point weights. */
  weights: Int32Array;
  /**
   * Per output index: 1 where it has 8 taps whose weights read the same backwards (tap t equals
   * tap 7 - t) and whose sum runs in 32-bit integers exactly (see INT32_SUM), the 2× shrink's
   * fast path in both passes.
   */
  pairs8: Uint8Array;
  /** Per output index: the sum of its weights (a run of equal inputs v gives v · sum). */
  sums: Int32Array;
  /**
   * Outputs [slideFirst, slideLast]: pairs8, the same 4 weights, each window 2 inputs right of
   * the one before (the 2× shrink's interior), which slide8 walks with its inputs in locals.
   */
  slideFirst: number;
  slideLast: number;
  maxTaps: number;
}

// Taps depend only on (inSize, outSize), and a pipeline resizes thousands of pictures between
// the same few sizes: computing them once per pair measured a quarter of the resize's time.
const tapsCache = new Map<string, Taps>();
const TAPS_CACHE_LIMIT = 64;

function cachedTaps(inSize: number, outSize: number): Taps {
  const key = `${inSize}>${outSize}`;
  let taps = tapsCache.get(key);
  if (!taps) {
    if (tapsCache.size >= TAPS_CACHE_LIMIT) tapsCache.clear();
    taps = bicubicTaps(inSize, outSize);
    tapsCache.set(key, taps);
  }
  return taps;
}

/** Filter taps mapping inSize samples onto outSize, as Pillow's precompute_coeffs. */
export function bicubicTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * maxTaps);
  const pairs8 = new Uint8Array(outSize);
  const sums = new Int32Array(outSize);
  const w = new Float64Array(maxTaps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += w[i - lo] = cubic((i - center + 0.5) / filterScale);
    for (let i = 0; i < hi - lo; i++) {
      const k = sum !== 0 ? w[i] / sum : w[i];
      weights[o * maxTaps + i] = Math.trunc(k < 0 ? k * ONE - 0.5 : k * ONE + 0.5);
    }
    start[o] = lo;
    count[o] = hi - lo;
    let mirrored = count[o] === 8;
    let magnitude = 0;
    for (let t = 0; t < count[o]; t++) {
      mirrored &&= weights[o * maxTaps + t] === weights[o * maxTaps + count[o] - 1 - t];
      magnitude += Math.abs(weights[o * maxTaps + t]);
      sums[o] += weights[o * maxTaps + t];
    }
    pairs8[o] = mirrored && HALF + 255 * magnitude <= INT32_SUM ? 1 : 0;
  }
  const slideFirst = pairs8.indexOf(1);
  let slideLast = slideFirst;
  const sameWeights = (a: number, b: number) => [0, 1, 2, 3].every((t) => weights[a * maxTaps + t] === weights[b * maxTaps + t]);
  if (slideFirst >= 0) {
    while (slideLast + 1 < outSize && pairs8[slideLast + 1] === 1 && start[slideLast + 1] === start[slideLast] + 2 && sameWeights(slideFirst, slideLast + 1))
      slideLast++;
  }
  return { start, count, weights, pairs8, sums, slideFirst, slideLast: slideFirst >= 0 ? slideLast : -2, maxTaps };
}

// Pillow takes acc >> 22 then clamps; truncating instead of flooring differs only on
// (-1, 0), which clamps to 0 either way.
function clip8(acc: number): number {
  const v = (acc * INV_ONE) | 0; // times 2^-22: exactly acc / ONE, without a division
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function checkSize(width: number, height: number): void {
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new Error(`resizeBicubic: target size must be positive integers, got ${width}×${height}`);
  }
}

/** Bicubic resize to width × height (Pillow-equivalent). Returns a new image. */
export function resizeBicubic(image: RgbImage, width: number, height: number): RgbImage {
  checkSize(width, height);
  if (width === image.width && height === image.height) return { width, height, data: image.data.slice() };
  const rows = width !== image.width ? resizeRows(image, width, height !== image.height) : unresized(image);
  if (height === image.height) return rows.image;
  const data = new Uint8Array(width * height * 3);
  resizeColumns(rows, height, data);
  return { width, height, data };
}

/**
 * Bicubic resize to width × height, then CLIP-style normalisation into `out` at `offset` as
 * CHW float32 [3, H, W]: exactly normalizeClip(resizeBicubic(image, width, height), ...). The
 * pipeline's hot path (about 100 pictures a batch): the resized bytes go to a reused buffer, not
 * a new image per picture, and normalise in normalize.ts's plain loop (that measured faster than
 * normalising each row inside the vertical pass through a callback).
 */
export function resizeNormalizeInto(
  image: RgbImage,
  width: number,
  height: number,
  out: Float32Array,
  offset: number,
  mean: readonly number[],
  std: readonly number[],
): void {
  checkSize(width, height);
  const plane = width * height;
  if (out.length < offset + 3 * plane) throw new Error(`resizeNormalizeInto: output has ${out.length} floats, needs ${offset + 3 * plane}`);
  if (height === image.height) {
    const data = width !== image.width ? resizeRows(image, width, true).image.data : image.data;
    return normalizeBytesInto(data, plane, out, offset, mean, std);
  }
  const rows = width !== image.width ? resizeRows(image, width, true) : unresized(image);
  if (bytesScratch.length < 3 * plane) bytesScratch = new Uint8Array(3 * plane);
  const bytes = bytesScratch.subarray(0, 3 * plane);
  resizeColumns(rows, height, bytes);
  normalizeBytesInto(bytes, plane, out, offset, mean, std);
}

// Both passes keep arrays in locals and index with plain integers so V8 keeps the loops on
// small integers and doubles; the arithmetic (accumulate from HALF, clip8) is unchanged, and
// test/data/resize_golden.test.ts pins the bytes.
//
// Every product and sum here is an integer below 2^53 (pixels ≤ 255, weights below 2^23, at
// most a few dozen taps), so doubles add them exactly in any order and any grouping: the loops
// below may reorder and merge taps without changing a byte.
//
// Rows equal to the row above are common in rendered pictures (a third of the world's rows:
// flat backgrounds above and below the shapes). The horizontal pass copies such a row's output
// instead of recomputing it, and the vertical pass adds the taps of a run of equal rows as one
// tap whose weight is their sum (v·w1 + v·w2 = v·(w1 + w2), exact). Shrinking 2× (128 → 64, the
// studies' pictures) gives every output but the edges 8 taps whose weights read the same
// backwards; both passes spell those out with the mirrored pixels added first (4 products, not
// 8), and the vertical pass reads each of the 8 rows once per output value instead of adding into
// a row of sums tap by tap. Together 0.74 of the resize's time on world pictures (session 8). A
// shortcut for runs of equal pixels within a row (one product with the taps' summed weight)
// measured slower than this at 128 → 64, 48 and 32, so it is gone.

/**
 * `n` outputs of the horizontal pass (the run of mirrored 8-tap outputs with the same weights),
 * one channel at a time: output i reads the 8 pixels from p + 6i (RGB bytes), pixel t and pixel
 * 7 − t added first and taking k_t. In 32-bit integers (INT32_SUM), and >> 22 in place of clip8's
 * truncation: they differ only on (-1, 0) before clamping, which clamps to 0 either way. The
 * window moves 2 pixels an output, so 6 of its 8 values stay in locals and each output reads 2.
 */
function slide8(data: Uint8Array, p: number, n: number, out: Uint8Array, o: number, k0: number, k1: number, k2: number, k3: number): void {
  for (let ch = 0; ch < 3; ch++) {
    let q = p + ch;
    let v0 = data[q];
    let v1 = data[q + 3];
    let v2 = data[q + 6];
    let v3 = data[q + 9];
    let v4 = data[q + 12];
    let v5 = data[q + 15];
    for (let i = 0, w = o + ch; i < n; i++, q += 6, w += 3) {
      const v6 = data[q + 18];
      const v7 = data[q + 21];
      const v = (HALF + Math.imul(v0 + v7, k0) + Math.imul(v1 + v6, k1) + Math.imul(v2 + v5, k2) + Math.imul(v3 + v4, k3)) >> PRECISION_BITS;
      out[w] = v < 0 ? 0 : v > 255 ? 255 : v;
      v0 = v2;
      v1 = v3;
      v2 = v4;
      v3 = v5;
      v4 = v6;
      v5 = v7;
    }
  }
}

/** A picture's rows with, per row, 1 where it equals the row above (row 0: 0). */
interface Rows {
  image: RgbImage;
  sameAsAbove: Uint8Array;
}

/**
 * Per row, 1 where it equals the row above. With `spans`, also where a row differs from the row
 * above: spans[2y] its first differing pixel, spans[2y + 1] its last (found from the right).
 */
function rowsEqualAbove(image: RgbImage, spans?: Int32Array): Uint8Array {
  const { data } = image;
  const rowLen = image.width * 3;
  const same = new Uint8Array(image.height);
  for (let y = 1; y < image.height; y++) {
    const a = y * rowLen;
    const b = a - rowLen;
    let i = 0;
    while (i < rowLen && data[a + i] === data[b + i]) i++;
    same[y] = i === rowLen ? 1 : 0;
    if (!spans || i === rowLen) continue;
    let j = rowLen - 1;
    while (data[a + j] === data[b + j]) j--; // stops at i at the latest
    spans[2 * y] = (i / 3) | 0;
    spans[2 * y + 1] = (j / 3) | 0;
  }
  return same;
}

/** The picture's rows as they stand (no horizontal pass needed), with their equalities. */
function unresized(image: RgbImage): Rows {
  return { image, sameAsAbove: rowsEqualAbove(image) };
}

/**
 * The horizontal pass. `scratch`: write into the module's reusable buffer, for callers that are
 * done with the result before the next resize (resizeNormalizeInto); else a new image.
 */
function resizeRows(src: RgbImage, outW: number, scratch = false): Rows {
  const { start, count, weights, pairs8, slideFirst, slideLast, maxTaps } = cachedTaps(src.width, outW);
  const data = src.data;
  const n = outW * src.height * 3;
  if (scratch && rowsScratch.length < n) rowsScratch = new Uint8Array(n);
  const out = scratch ? rowsScratch.subarray(0, n) : new Uint8Array(n);
  if (diffSpans.length < 2 * src.height) diffSpans = new Int32Array(2 * src.height);
  const spans = diffSpans;
  const sameAsAbove = rowsEqualAbove(src, spans);
  const inRow = src.width * 3;
  const outRow = outW * 3;
  let o = 0;
  for (let y = 0; y < src.height; y++) {
    if (sameAsAbove[y] === 1) {
      out.copyWithin(o, o - outRow, o);
      o += outRow;
      continue;
    }
    const rowBase = y * inRow;
    // An output whose taps all lie left of the row's first pixel that differs from the row above,
    // or right of its last, reads what the output above read: copy it (shapes' rows on plain and
    // horizontally graded backgrounds differ from the row above only across the shapes).
    let xa = 0;
    let xb = outW - 1;
    if (y > 0) {
      while (xa < outW && start[xa] + count[xa] <= spans[2 * y]) xa++;
      while (xb >= xa && start[xb] > spans[2 * y + 1]) xb--;
      out.copyWithin(o, o - outRow, o - outRow + 3 * xa);
      out.copyWithin(o + 3 * (xb + 1), o - outRow + 3 * (xb + 1), o);
      o += 3 * xa;
    }
    const s0 = Math.max(xa, slideFirst);
    const s1 = Math.min(xb, slideLast);
    for (let x = xa; x <= xb; x++) {
      const n = count[x];
      const w = x * maxTaps;
      const p = rowBase + start[x] * 3;
      if (x === s0 && s0 <= s1) {
        slide8(data, p, s1 - s0 + 1, out, o, weights[w], weights[w + 1], weights[w + 2], weights[w + 3]);
        o += 3 * (s1 - s0 + 1);
        x = s1;
        continue;
      }
      if (pairs8[x] === 1) {
        // a mirrored 8-tap output outside the interior run (other sizes than the 2× shrink's)
        slide8(data, p, 1, out, o, weights[w], weights[w + 1], weights[w + 2], weights[w + 3]);
        o += 3;
        continue;
      }
      let r = HALF,
        g = HALF,
        b = HALF;
      for (let t = 0, q = p; t < n; t++, q += 3) {
        const k = weights[w + t];
        r += data[q] * k;
        g += data[q + 1] * k;
        b += data[q + 2] * k;
      }
      out[o++] = clip8(r);
      out[o++] = clip8(g);
      out[o++] = clip8(b);
    }
    o += 3 * (outW - 1 - xb);
  }
  return { image: { width: outW, height: src.height, data: out }, sameAsAbove };
}

// One output row's sums, one output picture's bytes, and one output row's merged taps (input row offset, summed weight).
// Reused: the pass is synchronous.
let rowAcc = new Float64Array(0);
let diffSpans = new Int32Array(0);
let bytesScratch = new Uint8Array(0);
let rowsScratch = new Uint8Array(0);
let tapRows = new Int32Array(0);
let tapWeights = new Float64Array(0);

/** The vertical pass, into `out` [outH, W, 3]. */
function resizeColumns(rows: Rows, outH: number, out: Uint8Array): void {
  const src = rows.image;
  const same = rows.sameAsAbove;
  const { start, count, weights, pairs8, sums, maxTaps } = cachedTaps(src.height, outH);
  const data = src.data;
  const rowLen = src.width * 3;
  if (rowAcc.length < rowLen) rowAcc = new Float64Array(rowLen);
  if (tapRows.length < maxTaps) [tapRows, tapWeights] = [new Int32Array(maxTaps), new Float64Array(maxTaps)];
  const acc = rowAcc;
  const at = tapRows;
  const wt = tapWeights;
  for (let y = 0; y < outH; y++) {
    if (pairs8[y] === 1) {
      const w = y * maxTaps;
      // plain locals, not destructured arrays: this runs per output row (and the horizontal
      // pass's per output pixel), and arrays V8 does not optimise away are garbage to collect
      const k0 = weights[w];
      const k1 = weights[w + 1];
      const k2 = weights[w + 2];
      const k3 = weights[w + 3];
      // the 8 rows as 4 mirrored pairs: row t and row 7 - t share a weight; 32-bit integer
      // sums and >> 22 as in slide8
      const top = start[y] * rowLen;
      const bottom = top + 7 * rowLen;
      const row0 = start[y];
      if (same[row0 + 1] + same[row0 + 2] + same[row0 + 3] + same[row0 + 4] + same[row0 + 5] + same[row0 + 6] + same[row0 + 7] === 7) {
        // all 8 rows equal (a fifth of the world's output rows): Σ v·w_t = v·Σ w_t, one product
        const k = sums[y];
        for (let c = 0, o = y * rowLen; c < rowLen; c++, o++) {
          const v = (HALF + Math.imul(data[top + c], k)) >> PRECISION_BITS;
          out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
        continue;
      }
      for (let c = 0, o = y * rowLen; c < rowLen; c++, o++) {
        const v =
          (HALF +
            Math.imul(data[top + c] + data[bottom + c], k0) +
            Math.imul(data[top + rowLen + c] + data[bottom - rowLen + c], k1) +
            Math.imul(data[top + 2 * rowLen + c] + data[bottom - 2 * rowLen + c], k2) +
            Math.imul(data[top + 3 * rowLen + c] + data[bottom - 3 * rowLen + c], k3)) >>
          PRECISION_BITS;
        out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      continue;
    }
    // Merge the taps of equal neighbouring rows, then each sum in a local from HALF.
    let m = 0;
    for (let t = 0, row = start[y]; t < count[y]; t++, row++) {
      const k = weights[y * maxTaps + t];
      if (t > 0 && same[row] === 1) wt[m - 1] += k;
      else {
        at[m] = row * rowLen;
        wt[m++] = k;
      }
    }
    // Tap by tap over the row: the sums see their taps in the same order, so the same doubles.
    for (let c = 0, p = at[0], k = wt[0]; c < rowLen; c++) acc[c] = HALF + data[p + c] * k;
    for (let t = 1; t < m; t++) {
      const p = at[t];
      const k = wt[t];
      for (let c = 0; c < rowLen; c++) acc[c] += data[p + c] * k;
    }
    for (let c = 0, o = y * rowLen; c < rowLen; c++, o++) out[o] = clip8(acc[c]);
  }
}
