// Scene graphs: 1–4 shapes on a 3x3 grid (one object per cell, so "where" has one answer),
// an optional written word in a free cell, and a pale background. Everything a caption,
// question or pixel says is computed from this graph.
import type { Rng } from '../../engine/rng.js';
import {
  BACKGROUNDS,
  COLORS,
  HELDOUT_COMBOS,
  SHAPES,
  SIZES,
  WORDS,
  isHeldoutCombo,
  type BackgroundColor,
  type Color,
  type Pattern,
  type Shape,
  type Size,
  type WorldVersion,
} from './lexicon.js';
import { drawSceneV2 } from './scene_v2.js';

export interface SceneObject {
  shape: Shape;
  color: Color;
  size: Size;
  /** Grid cell 0..8, row-major (0 = top left). */
  cell: number;
  /** Centre, as fractions of the image side in [0, 1] (resolution independent). */
  x: number;
  y: number;
  /** v2 only: surface pattern (absent in v1 scenes, which are all plain). */
  pattern?: Pattern;
}

/** v2: a cluster of small dots in one cell, to count (legible at 64 px, merged at 32). */
export interface DotCluster {
  color: Color;
  cell: number;
  /** Dot centres as fractions of the image side. */
  points: [number, number][];
}

export interface SceneText {
  word: string;
  cell: number;
  /** Top-left corner in 1/128ths of the image side, whole numbers so glyphs land on pixels at 128. */
  left: number;
  top: number;
  /**
   * Glyph pixel side in 1/128ths of the image side. Absent = 1 (every v1 word). v2 words are
   * large (1: legible from 64 px) or small (0.5: legible at 128 px only).
   */
  scale?: 0.5 | 1;
}

export interface Background {
  color: BackgroundColor;
  style: 'plain' | 'gradient' | 'noise';
  /** Gradient direction (ignored for other styles). */
  vertical: boolean;
  /** Seed of the pixel noise (ignored for other styles). */
  seed: number;
}

export interface Scene {
  objects: SceneObject[];
  text: SceneText | null;
  background: Background;
  /** Present (2) on v2 scenes only; v1 scenes keep exactly their old shape. */
  version?: 2;
  /** v2 only: a cluster of dots, or null. */
  dots?: DotCluster | null;
}

/** train: ordinary training scenes; eval: held out by hash bucket; heldout: only unseen shape×colour pairs. */
export type SceneSplit = 'train' | 'eval' | 'heldout';

export interface SceneOptions {
  split?: SceneSplit;
  minObjects?: number;
  maxObjects?: number;
  /** Probability that a word is written in the picture (default 0.4). */
  textProbability?: number;
  /** Always write a word (TextCaps/TextVQA analogues). */
  requireText?: boolean;
  /** Which world to draw from (default 1; run configs default to 2, see LATEST_WORLD_VERSION). */
  version?: WorldVersion;
  /** v2: probability of a dot cluster (default 0.5). */
  dotProbability?: number;
  /** v2: always draw a dot cluster. */
  requireDots?: boolean;
}

/** Shape radius as a fraction of the image side: a third of a cell is 1/3 of the image. */
export const RADIUS: Record<Size, number> = { small: 0.26 / 3, large: 0.42 / 3 };

/** A rendered word is 3 glyphs of 5x7 with 1 px spacing: 17x7 px at 128. */
export const TEXT_WIDTH = 17;
export const TEXT_HEIGHT = 7;

/** One in EVAL_BUCKETS scene graphs (by hash) belongs to evaluation and never to training. */
export const EVAL_BUCKETS = 8;

export function cellRow(cell: number): number {
  return Math.floor(cell / 3);
}
export function cellCol(cell: number): number {
  return cell % 3;
}

/** Draws one scene of the requested split; scenes of other splits are redrawn. */
export function generateScene(rng: Rng, opts: SceneOptions = {}): Scene {
  const split = opts.split ?? 'train';
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const scene = (opts.version ?? 1) === 2 ? drawSceneV2(rng, opts, split === 'heldout') : drawScene(rng, opts, split === 'heldout');
    if (sceneSplitOf(scene) === split) return scene;
  }
  throw new Error(`generateScene: no ${split} scene found in 10000 draws; check SceneOptions ${JSON.stringify(opts)}`);
}

function drawScene(rng: Rng, opts: SceneOptions, heldout: boolean): Scene {
  const min = opts.minObjects ?? 1;
  const max = opts.maxObjects ?? 4;
  if (min < 1 || max > 8 || min > max) {
    throw new Error(`SceneOptions: need 1 <= minObjects <= maxObjects <= 8, got ${min}..${max}`);
  }
  const { background, cells, objects } = drawObjects(rng, min, max, heldout);
  const n = objects.length;
  const wantText = opts.requireText || rng.next() < (opts.textProbability ?? 0.4);
  const text = wantText && n < 9 ? drawText(rng, cells[n]) : null;
  return { objects, text, background };
}

/**
 * A background and min..max objects in distinct cells (cells[0..n) hold them; the rest are
 * free). `decorate` adds what a world version draws per object after placing it (v2: a pattern).
 */
export function drawObjects(
  rng: Rng,
  min: number,
  max: number,
  heldout: boolean,
  decorate: (o: SceneObject) => SceneObject = (o) => o,
): { background: Background; cells: number[]; objects: SceneObject[] } {
  const background = drawBackground(rng);
  const cells = rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const n = min + rng.int(max - min + 1);
  const objects: SceneObject[] = [];
  for (let i = 0; i < n; i++) {
    const [shape, color] = heldout ? rng.pick(HELDOUT_COMBOS.filter(([, c]) => c !== background.color)) : drawTrainCombo(rng, objects, background.color);
    objects.push(decorate(placeObject(rng, shape, color, rng.pick(SIZES), cells[i])));
  }
  return { background, cells, objects };
}

/** An object in `cell`, its centre jittered as far as the cell allows. */
export function placeObject(rng: Rng, shape: Shape, color: Color, size: Size, cell: number): SceneObject {
  const slack = Math.max(0, 1 / 6 - RADIUS[size] - 0.012);
  const x = (cellCol(cell) + 0.5) / 3 + (rng.next() * 2 - 1) * slack;
  const y = (cellRow(cell) + 0.5) / 3 + (rng.next() * 2 - 1) * slack;
  return { shape, color, size, cell, x, y };
}

function drawBackground(rng: Rng): Background {
  return {
    color: rng.pick(BACKGROUNDS),
    style: rng.pick(['plain', 'gradient', 'noise'] as const),
    vertical: rng.next() < 0.5,
    seed: rng.int(2 ** 31),
  };
}

/** Repeats a shape or colour now and then so "how many red shapes" has interesting answers. */
function drawTrainCombo(rng: Rng, previous: SceneObject[], bg: BackgroundColor): [Shape, Color] {
  const colors = COLORS.filter((c) => c !== bg);
  for (;;) {
    const prev = previous.length > 0 ? rng.pick(previous) : null;
    const shape = prev && rng.next() < 0.3 ? prev.shape : rng.pick(SHAPES);
    const color = prev && rng.next() < 0.3 && prev.color !== bg ? prev.color : rng.pick(colors);
    if (!isHeldoutCombo(shape, color)) return [shape, color];
  }
}

/** A random word in `cell`, placed on whole pixels of the 128 grid. */
export function drawText(rng: Rng, cell: number): SceneText {
  const side = 128 / 3;
  const jx = Math.floor(side / 2 - TEXT_WIDTH / 2 - 2);
  const jy = Math.floor(side / 2 - TEXT_HEIGHT / 2 - 2);
  const left = Math.round((cellCol(cell) + 0.5) * side - TEXT_WIDTH / 2) + rng.int(2 * jx + 1) - jx;
  const top = Math.round((cellRow(cell) + 0.5) * side - TEXT_HEIGHT / 2) + rng.int(2 * jy + 1) - jy;
  return { word: rng.pick(WORDS), cell, left, top };
}

/** Canonical text of the scene graph (what is where), ignoring jitter and texture. */
export function sceneKey(scene: Scene): string {
  const objs = [...scene.objects].sort((a, b) => a.cell - b.cell).map((o) => `${o.cell}:${o.size}:${o.color}:${o.shape}`);
  const text = scene.text ? `${scene.text.word}@${scene.text.cell}` : '-';
  const v1 = `${scene.background.color}|${objs.join(',')}|${text}`;
  if (scene.version !== 2) return v1;
  // v2 adds what only higher resolutions show, so two v2 graphs differing in it are different scenes
  const patterns = [...scene.objects].sort((a, b) => a.cell - b.cell).map((o) => o.pattern ?? 'plain');
  const dots = scene.dots ? `${scene.dots.points.length}:${scene.dots.color}@${scene.dots.cell}` : '-';
  return `v2|${v1}|${patterns.join(',')}|${scene.text?.scale ?? 1}|${dots}`;
}

/** 32-bit hash of sceneKey (FNV-1a plus a murmur finaliser so the low bits mix well). */
export function sceneHash(scene: Scene): number {
  const key = sceneKey(scene);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Which split a scene graph belongs to, or null if it mixes held-out and ordinary pairs.
 * The split is a function of the graph itself, so train and eval are disjoint whatever the seeds.
 */
export function sceneSplitOf(scene: Scene): SceneSplit | null {
  const held = scene.objects.filter((o) => isHeldoutCombo(o.shape, o.color)).length;
  if (held === scene.objects.length) return 'heldout';
  if (held > 0) return null;
  return sceneHash(scene) % EVAL_BUCKETS === 0 ? 'eval' : 'train';
}
