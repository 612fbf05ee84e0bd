// The VizWiz analogue: pictures taken badly (blurred, dark, or partly covered by a thumb),
// and questions about them that are sometimes unanswerable, as blind photographers'
// questions often are. Whether a question can be answered follows from the degradation and
// what the question looks at, never from chance: blur erases fine detail (words, patterns,
// the number of dots) but not colours or shapes; darkness keeps everything; a thumb hides
// one row or column of the grid and whatever is in it.
import type { Rng } from '../../engine/rng.js';
import type { RgbImage } from '../document.js';
import type { QuestionAnswers, QuestionType } from './eval_items.js';
import { UNANSWERABLE } from './lexicon.js';
import { cellCol, cellRow, type Scene } from './scene.js';
import { tenAnswers, vqaOfType } from './vqa.js';

export type Degradation =
  | { kind: 'blur' }
  | { kind: 'dark' }
  /** A thumb over one edge strip of the grid: row 0 / row 2 / column 0 / column 2. */
  | { kind: 'cover'; strip: 'top' | 'bottom' | 'left' | 'right' };

/** Question types VizWiz items ask: each looks at one thing, so what hides it is clear. */
export const VIZWIZ_TYPES: readonly QuestionType[] = ['color', 'shape', 'pattern', 'read', 'dots'];
const VIZWIZ_TYPES_V1: readonly QuestionType[] = ['color', 'shape', 'read'];

export function drawDegradation(rng: Rng): Degradation {
  const kind = rng.pick(['blur', 'dark', 'cover'] as const);
  return kind === 'cover' ? { kind, strip: rng.pick(['top', 'bottom', 'left', 'right'] as const) } : { kind };
}

function covers(d: Degradation, cell: number): boolean {
  if (d.kind !== 'cover') return false;
  if (d.strip === 'top') return cellRow(cell) === 0;
  if (d.strip === 'bottom') return cellRow(cell) === 2;
  if (d.strip === 'left') return cellCol(cell) === 0;
  return cellCol(cell) === 2;
}

/** Can the question still be answered from the degraded picture? */
export function answerable(q: QuestionAnswers, d: Degradation): boolean {
  if (d.kind === 'blur') return !(q.questionType === 'pattern' || q.questionType === 'read' || (q.questionType === 'dots' && q.answerType === 'number'));
  if (d.kind === 'cover') return !(q.focusCells ?? []).some((c) => covers(d, c));
  return true;
}

/** A question about a (v2) scene and its degradation; the answers are "unanswerable" when the picture no longer holds them. */
export function vizwizQuestion(scene: Scene, rng: Rng, d: Degradation): QuestionAnswers | null {
  const q = vqaOfType(scene, rng, rng.pick(scene.version === 2 ? VIZWIZ_TYPES : VIZWIZ_TYPES_V1));
  if (!q) return null;
  return answerable(q, d) ? q : { ...q, answers: tenAnswers(rng, UNANSWERABLE), answerType: 'other' };
}

/** The degraded picture (any size; blur and strips scale with it). */
export function degradeImage(image: RgbImage, d: Degradation): RgbImage {
  const { width: w, height: h } = image;
  const data = new Uint8Array(image.data);
  if (d.kind === 'dark') {
    for (let i = 0; i < data.length; i++) data[i] = DARKER[data[i]];
  } else if (d.kind === 'blur') {
    const radius = Math.max(1, Math.round((3 * w) / 128));
    return boxBlur(boxBlur({ width: w, height: h, data }, radius, true), radius, false);
  } else {
    const third = (n: number) => Math.round(n / 3);
    const [x0, x1] = d.strip === 'left' ? [0, third(w)] : d.strip === 'right' ? [w - third(w), w] : [0, w];
    const [y0, y1] = d.strip === 'top' ? [0, third(h)] : d.strip === 'bottom' ? [h - third(h), h] : [0, h];
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set(THUMB_RGB, 3 * (y * w + x));
  }
  return { width: w, height: h, data };
}

const THUMB_RGB = [150, 110, 90];
/** Math.round(v * 0.3) for every byte v, worked out once. */
const DARKER = Uint8Array.from({ length: 256 }, (_, v) => Math.round(v * 0.3));

/**
 * One pass of a (2r+1)-wide box blur along x or y, edges clamped. Each line keeps a running
 * sum (add the sample entering the window, drop the one leaving): the same integers as summing
 * the 2r + 1 clamped samples afresh, so the same Math.round(sum / n), read from a table of every
 * possible sum, at a fraction of the reads.
 */
function boxBlur(img: RgbImage, r: number, alongX: boolean): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  const n = 2 * r + 1;
  const mean = Uint8Array.from({ length: 255 * n + 1 }, (_, sum) => Math.round(sum / n));
  const [lines, length] = alongX ? [h, w] : [w, h];
  const step = alongX ? 3 : 3 * w; // bytes between neighbours along the line
  const last = length - 1;
  for (let line = 0; line < lines; line++) {
    for (let c = 0; c < 3; c++) {
      const base = (alongX ? 3 * line * w : 3 * line) + c;
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += data[base + step * (k < 0 ? 0 : k > last ? last : k)];
      for (let i = 0; i < length; i++) {
        out[base + step * i] = mean[sum];
        const enter = i + r + 1 > last ? last : i + r + 1;
        const leave = i - r < 0 ? 0 : i - r;
        sum += data[base + step * enter] - data[base + step * leave];
      }
    }
  }
  return { width: w, height: h, data: out };
}
