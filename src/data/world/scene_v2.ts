// World v2 scenes: v1's shapes on the 3x3 grid, plus detail that only more pixels show.
// Each octave of resolution unlocks something (measured by `mm1 data probe`, docs/world.md):
// - at any size: colour, shape, place of the 1–4 shapes (as v1);
// - from 64 px: striped surfaces, the count of a cluster of small dots, large printed words
//   (v1's word size: one glyph pixel per 128th of the side);
// - at 128 px only: checkered surfaces, small printed words (half-size glyphs).
import type { Rng } from '../../engine/rng.js';
import { COLORS, PATTERNS, WORDS, type Pattern } from './lexicon.js';
import { cellCol, cellRow, drawObjects, drawText, type DotCluster, type Scene, type SceneObject, type SceneOptions, type SceneText } from './scene.js';

/** Dot radius and spacing in 1/128ths of the side: 2.5-pixel dots 6 pixels apart at 128, so
 *  neighbours stay apart at 64 (1.25-pixel dots, 3 apart) and run together at 32. */
export const DOT_RADIUS = 1.25 / 128;
export const DOT_SPACING = 6 / 128;
export const MAX_DOTS = 6;

/** A small word: 5x7 glyphs of half a pixel at 128 (8.5x3.5 px), so a quarter pixel at 64. */
export const SMALL_TEXT_WIDTH = 8.5;
export const SMALL_TEXT_HEIGHT = 3.5;

export function drawSceneV2(rng: Rng, opts: SceneOptions, heldout: boolean): Scene {
  const min = opts.minObjects ?? 1;
  const max = opts.maxObjects ?? 4;
  if (min < 1 || max > 4 || min > max) {
    throw new Error(`SceneOptions (world v2): need 1 <= minObjects <= maxObjects <= 4, got ${min}..${max}`);
  }
  const { background, cells, objects } = drawObjects(rng, min, max, heldout, (o) => ({ ...o, pattern: rng.pick(PATTERNS) }));
  let free = objects.length;
  const wantText = opts.requireText || rng.next() < (opts.textProbability ?? 0.5);
  const text = wantText ? drawSizedText(rng, cells[free++], rng.next() < 0.5 ? 1 : 0.5) : null;
  const wantDots = opts.requireDots || rng.next() < (opts.dotProbability ?? 0.5);
  const dotColors = COLORS.filter((c) => c !== background.color);
  const dots = wantDots ? drawDots(rng, cells[free], rng.pick(dotColors)) : null;
  return { objects, text, background, version: 2, dots };
}

/** A word of glyph size `scale` (1 = large, v1's size; 0.5 = small) in `cell`, on whole pixels of the 128 grid. */
export function drawSizedText(rng: Rng, cell: number, scale: 0.5 | 1): SceneText {
  if (scale === 1) return { ...drawText(rng, cell), scale: 1 };
  const side = 128 / 3;
  const jx = Math.floor(side / 2 - SMALL_TEXT_WIDTH / 2 - 2);
  const jy = Math.floor(side / 2 - SMALL_TEXT_HEIGHT / 2 - 2);
  const left = Math.round((cellCol(cell) + 0.5) * side - SMALL_TEXT_WIDTH / 2) + rng.int(2 * jx + 1) - jx;
  const top = Math.round((cellRow(cell) + 0.5) * side - SMALL_TEXT_HEIGHT / 2) + rng.int(2 * jy + 1) - jy;
  return { word: rng.pick(WORDS), cell, left, top, scale: 0.5 };
}

/** 1..MAX_DOTS dots on distinct points of a 3x3 lattice, the lattice jittered inside `cell`. */
export function drawDots(rng: Rng, cell: number, color: DotCluster['color']): DotCluster {
  const count = 1 + rng.int(MAX_DOTS);
  const slack = 1 / 6 - DOT_SPACING - DOT_RADIUS - 0.03;
  const cx = (cellCol(cell) + 0.5) / 3 + (rng.next() * 2 - 1) * slack;
  const cy = (cellRow(cell) + 0.5) / 3 + (rng.next() * 2 - 1) * slack;
  const lattice = rng
    .shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8])
    .slice(0, count)
    .sort((a, b) => a - b);
  const points = lattice.map((k): [number, number] => [cx + ((k % 3) - 1) * DOT_SPACING, cy + (Math.floor(k / 3) - 1) * DOT_SPACING]);
  return { color, cell, points };
}

/** The pattern of a v2 object (v1 objects are plain). */
export function patternOf(o: SceneObject): Pattern {
  return o.pattern ?? 'plain';
}
