// Captions of a scene: five short COCO-like references written from varied templates (each
// may leave objects out, none invents one), TextCaps-like references that mention the
// written word, and one exhaustive dense caption (the VeCap analogue).
import type { Rng } from '../../engine/rng.js';
import { cellPhrase, countedPhrase, fullPhrase, groupByKind, joinList, numberWord, readingOrder, withArticle } from './describe.js';
import { SHAPES } from './lexicon.js';
import { cellCol, cellRow, type Scene, type SceneObject } from './scene.js';
import { patternOf } from './scene_v2.js';

type Template = (scene: Scene, rng: Rng) => string | null;

const STYLE_WORD = { plain: 'plain', gradient: 'shaded', noise: 'noisy' } as const;

const colorShape = (o: SceneObject) => withArticle([o.color, o.shape]);
const kindList = (s: Scene) => joinList(groupByKind(readingOrder(s)).map(([n, c, sh]) => countedPhrase(n, [c], sh)));
const shapeCount = (n: number) => (n === 1 ? 'one shape' : `${numberWord(n)} shapes`);

/** An ordered pair of objects and how the first lies relative to the second, if they differ in row or column. */
function relationPair(scene: Scene, rng: Rng): [SceneObject, string, SceneObject] | null {
  if (scene.objects.length < 2) return null;
  const [a, b] = rng.shuffle([...scene.objects]);
  const options: string[] = [];
  if (cellCol(a.cell) < cellCol(b.cell)) options.push('to the left of');
  if (cellCol(a.cell) > cellCol(b.cell)) options.push('to the right of');
  if (cellRow(a.cell) < cellRow(b.cell)) options.push('above');
  if (cellRow(a.cell) > cellRow(b.cell)) options.push('below');
  return options.length > 0 ? [a, rng.pick(options), b] : null;
}

const GENERAL: Template[] = [
  (s) => `${kindList(s)}.`,
  (s) => `${shapeCount(s.objects.length)} on ${withArticle([s.background.color])} background.`,
  (s, r) => {
    const o = r.pick(s.objects);
    return `${fullPhrase(o)} ${cellPhrase(o.cell)}.`;
  },
  (s) => `a picture of ${kindList(s)}.`,
  (s, r) => {
    const rel = relationPair(s, r);
    return rel ? `${colorShape(rel[0])} ${rel[1]} ${colorShape(rel[2])}.` : null;
  },
  (s) => {
    const colors = [...new Set(readingOrder(s).map((o) => o.color))];
    return s.objects.length === 1 ? `${withArticle([colors[0]])} shape.` : `some ${joinList(colors)} shapes.`;
  },
  (s, r) => {
    const o = r.pick(s.objects);
    return `there is ${colorShape(o)} ${cellPhrase(o.cell)}.`;
  },
  (s) => (s.objects.length <= 3 ? `${joinList(readingOrder(s).map(fullPhrase))}.` : null),
  (s) => {
    const counts = SHAPES.map((sh) => [s.objects.filter((o) => o.shape === sh).length, sh] as const);
    return `${joinList(counts.filter(([n]) => n > 0).map(([n, sh]) => countedPhrase(n, [], sh)))}.`;
  },
  (s) => (s.objects.length <= 2 ? `${withArticle([s.background.color])} background with ${kindList(s)}.` : null),
];

/** v2 detail: surface patterns (64/128 px) and the dots (their number from 64 px). */
const dotsPhrase = (s: Scene) => countedPhrase(s.dots!.points.length, [s.dots!.color], 'shape').replace(/shapes?$/, (m) => (m === 'shape' ? 'dot' : 'dots'));
const patterned = (o: SceneObject) => withArticle([patternOf(o), o.color, o.shape]);
const GENERAL_V2: Template[] = [
  ...GENERAL,
  (s, r) => {
    const o = r.pick(s.objects);
    return `${patterned(o)} ${cellPhrase(o.cell)}.`;
  },
  (s) => `${joinList(readingOrder(s).slice(0, 3).map(patterned))}.`,
  (s) => (s.dots ? `${dotsPhrase(s)} ${cellPhrase(s.dots.cell)}.` : null),
  (s, r) => (s.dots ? `${colorShape(r.pick(s.objects))} and ${dotsPhrase(s)}.` : null),
];

const WITH_TEXT: Template[] = [
  (s) => `the word ${s.text!.word} and ${kindList(s)}.`,
  (s) => `the word ${s.text!.word} written ${cellPhrase(s.text!.cell)}.`,
  (s, r) => `the word ${s.text!.word} next to ${colorShape(r.pick(s.objects))}.`,
  (s) => `a picture with the word ${s.text!.word}.`,
  (s) => `the word ${s.text!.word} on ${withArticle([s.background.color])} background.`,
  (s, r) => `${colorShape(r.pick(s.objects))} and some text that says ${s.text!.word}.`,
];

function pickCaptions(scene: Scene, rng: Rng, templates: Template[], count: number): string[] {
  const out: string[] = [];
  for (const t of rng.shuffle([...templates])) {
    const c = t(scene, rng);
    if (c !== null && !out.includes(c)) out.push(c);
    if (out.length === count) return out;
  }
  for (let i = 0; out.length < count; i++) out.push(out[i]); // too few distinct: repeat, as COCO sometimes does
  return out;
}

/** Five COCO-like reference captions; about one in three mentions the word when there is one. */
export function captionsFor(scene: Scene, rng: Rng, count = 5): string[] {
  const general = pickCaptions(scene, rng, scene.version === 2 ? GENERAL_V2 : GENERAL, count);
  if (!scene.text) return general;
  const textual = pickCaptions(scene, rng, WITH_TEXT, count);
  return general.map((g, i) => (rng.next() < 0.3 ? textual[i] : g));
}

/** Five TextCaps-like references, every one mentioning the written word. */
export function textCaptionsFor(scene: Scene, rng: Rng, count = 5): string[] {
  if (!scene.text) throw new Error('textCaptionsFor: the scene has no written word; generate it with requireText');
  return pickCaptions(scene, rng, WITH_TEXT, count);
}

/** The exhaustive caption: every object with size, colour, shape and place, the word, the background. */
export function denseCaption(scene: Scene): string {
  const bg = scene.background;
  const n = scene.objects.length;
  const parts = [`the picture shows ${shapeCount(n)} on ${withArticle([STYLE_WORD[bg.style], bg.color])} background.`];
  const v2 = scene.version === 2;
  for (const o of readingOrder(scene)) {
    parts.push(`${v2 ? withArticle([o.size, patternOf(o), o.color, o.shape]) : fullPhrase(o)} is ${cellPhrase(o.cell)}.`);
  }
  for (const [count, color, shape] of groupByKind(readingOrder(scene))) {
    if (count > 1) parts.push(`there are ${countedPhrase(count, [color], shape)}.`);
  }
  if (v2 && scene.dots) parts.push(`there ${scene.dots.points.length === 1 ? 'is' : 'are'} ${dotsPhrase(scene)} ${cellPhrase(scene.dots.cell)}.`);
  const wordSize = v2 && scene.text ? `${scene.text.scale === 0.5 ? 'small' : 'large'} ` : '';
  parts.push(scene.text ? `the ${wordSize}word ${scene.text.word} is written ${cellPhrase(scene.text.cell)}.` : 'there is no text.');
  return parts.join(' ');
}
