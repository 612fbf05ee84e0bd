// Questions about a scene, with answers computed from the scene graph only. Ten answers per
// question as in VQAv2: the right one, sometimes with a few synonyms people also give.
import type { Rng } from '../../engine/rng.js';
import { cellName, cellPhrase, matching, numberWord, pickReference, referringExpressions, withArticle } from './describe.js';
import type { AnswerType, QuestionAnswers, QuestionType } from './eval_items.js';
import { CELL_SYNONYMS, COLORS, SHAPES, SHAPE_PLURALS, isHeldoutCombo, type Color, type Shape } from './lexicon.js';
import { cellCol, cellRow, sceneSplitOf, type Scene, type SceneObject } from './scene.js';
import { dotsQuestion, knowledgeQuestion, patternQuestion } from './vqa_v2.js';

/** World v1's question types (v1 streams draw from exactly this list). */
export const QUESTION_TYPES: readonly QuestionType[] = ['color', 'shape', 'count', 'exist', 'where', 'read', 'relation'];
/** World v2 adds questions that need 64 or 128 px (pattern, dots) and OK-VQA's knowledge questions. */
export const QUESTION_TYPES_V2: readonly QuestionType[] = [...QUESTION_TYPES, 'pattern', 'dots', 'knowledge'];

/** The question types of a world version. */
export function questionTypesOf(version: 1 | 2): readonly QuestionType[] {
  return version === 2 ? QUESTION_TYPES_V2 : QUESTION_TYPES;
}

/** Ten answers: `right` at least seven times, `synonym` up to three times. */
export function tenAnswers(rng: Rng, right: string, synonym?: string): string[] {
  const minority = synonym ? rng.int(4) : 0;
  return rng.shuffle(Array.from({ length: 10 }, (_, i) => (i < minority ? synonym! : right)));
}

/** `focus`: the cells the question is about ([] = whole picture); kept on v2 scenes only (vqaOfType). */
export function qa(question: string, answers: string[], answerType: AnswerType, questionType: QuestionType, focus: number[] = []): QuestionAnswers {
  return { question, answers, answerType, questionType, focusCells: focus };
}

export function yesNo(rng: Rng, q: string, yes: boolean, type: QuestionType, focus: number[] = []): QuestionAnswers {
  return qa(q, tenAnswers(rng, yes ? 'yes' : 'no'), 'yes/no', type, focus);
}

/** A colour-shape pair the scene may name without leaking held-out pairs into training text. */
function nameableCombo(rng: Rng, scene: Scene): [Shape, Color] {
  const heldout = sceneSplitOf(scene) === 'heldout';
  for (;;) {
    const shape = rng.pick(SHAPES);
    const color = rng.pick(COLORS);
    if (heldout || !isHeldoutCombo(shape, color)) return [shape, color];
  }
}

export type Generator = (scene: Scene, rng: Rng) => QuestionAnswers | null;

const color: Generator = (scene, rng) => {
  const obj = rng.pick(scene.objects);
  const ref = pickReference(rng, scene, obj, ['shape', 'size', 'cell']);
  return ref ? qa(`what color is ${ref}?`, tenAnswers(rng, obj.color), 'other', 'color', [obj.cell]) : null;
};

const shape: Generator = (scene, rng) => {
  const obj = rng.pick(scene.objects);
  const q = rng.next() < 0.4 ? `what shape is ${cellPhrase(obj.cell)}?` : `what is ${pickReference(rng, scene, obj, ['color', 'size', 'cell'])}?`;
  return qa(q, tenAnswers(rng, obj.shape), 'other', 'shape', [obj.cell]);
};

const count: Generator = (scene, rng) => {
  const [randomShape, randomColor] = nameableCombo(rng, scene);
  const seen = rng.pick(scene.objects);
  const shape = rng.next() < 0.7 ? seen.shape : randomShape;
  const color = rng.next() < 0.7 ? seen.color : randomColor;
  const form = rng.int(5);
  let attrs: { shape?: Shape; color?: Color; size?: string } = {};
  let noun = 'shapes';
  if (form === 1) [attrs, noun] = [{ color }, `${color} shapes`];
  if (form === 2) [attrs, noun] = [{ shape }, SHAPE_PLURALS[shape]];
  if (form === 3 && !(isHeldoutCombo(shape, color) && sceneSplitOf(scene) !== 'heldout')) {
    [attrs, noun] = [{ shape, color }, `${color} ${SHAPE_PLURALS[shape]}`];
  }
  if (form === 4) [attrs, noun] = [{ size: seen.size }, `${seen.size} shapes`];
  const n = matching(scene, attrs).length;
  const word = n === 0 ? rng.pick(['zero', 'none']) : numberWord(n);
  return qa(`how many ${noun} are there?`, tenAnswers(rng, String(n), word), 'number', 'count');
};

const exist: Generator = (scene, rng) => {
  const yes = rng.next() < 0.5;
  let [shape, color] = nameableCombo(rng, scene);
  if (yes) ({ shape, color } = rng.pick(scene.objects));
  const form = rng.int(3);
  if (form === 0) {
    const present = matching(scene, { shape, color }).length > 0;
    return yesNo(rng, `is there ${withArticle([color, shape])}?`, present, 'exist');
  }
  if (form === 1) return yesNo(rng, `is there ${withArticle([shape])}?`, matching(scene, { shape }).length > 0, 'exist');
  return yesNo(rng, `are there any ${color} shapes?`, matching(scene, { color }).length > 0, 'exist');
};

const where: Generator = (scene, rng) => {
  if (scene.text && rng.next() < 0.2) {
    const name = cellName(scene.text.cell);
    return qa(`where is the word?`, tenAnswers(rng, name, CELL_SYNONYMS[name]), 'other', 'where', [scene.text.cell]);
  }
  const obj = rng.pick(scene.objects);
  const ref = pickReference(rng, scene, obj, ['shape', 'color', 'size']);
  if (!ref) return null;
  const name = cellName(obj.cell);
  return qa(`where is ${ref}?`, tenAnswers(rng, name, CELL_SYNONYMS[name]), 'other', 'where', [obj.cell]);
};

const READ_QUESTIONS = ['what word is written?', 'what does the text say?', 'what word is in the picture?', 'what is written in the picture?'];

const read: Generator = (scene, rng) =>
  scene.text ? qa(rng.pick(READ_QUESTIONS), tenAnswers(rng, scene.text.word), 'other', 'read', [scene.text.cell]) : null;

/** Spatial relations between grid cells: strictly further left / right / up / down. */
export const RELATIONS: Record<string, (a: SceneObject, b: SceneObject) => boolean> = {
  'to the left of': (a, b) => cellCol(a.cell) < cellCol(b.cell),
  'to the right of': (a, b) => cellCol(a.cell) > cellCol(b.cell),
  above: (a, b) => cellRow(a.cell) < cellRow(b.cell),
  below: (a, b) => cellRow(a.cell) > cellRow(b.cell),
};

const relation: Generator = (scene, rng) => {
  if (scene.objects.length < 2) return null;
  const pairs = scene.objects.flatMap((anchor) => Object.keys(RELATIONS).map((rel) => [anchor, rel] as const));
  if (rng.next() < 0.3) {
    const [a, b] = rng.shuffle([...scene.objects]);
    const rel = rng.pick(Object.keys(RELATIONS));
    const refA = referringExpressions(scene, a, ['shape', 'color', 'size']);
    const refB = referringExpressions(scene, b, ['shape', 'color', 'size']);
    if (refA.length === 0 || refB.length === 0) return null;
    return yesNo(rng, `is ${rng.pick(refA)} ${rel} ${rng.pick(refB)}?`, RELATIONS[rel](a, b), 'relation');
  }
  for (const [anchor, rel] of rng.shuffle([...pairs])) {
    const targets = scene.objects.filter((o) => o !== anchor && RELATIONS[rel](o, anchor));
    const ref = pickReference(rng, scene, anchor, ['shape', 'color', 'size']);
    if (targets.length !== 1 || !ref) continue;
    const askColor = rng.next() < 0.5;
    const q = askColor ? `what color is the shape ${rel} ${ref}?` : `what shape is ${rel} ${ref}?`;
    return qa(q, tenAnswers(rng, askColor ? targets[0].color : targets[0].shape), 'other', 'relation', [targets[0].cell, anchor.cell]);
  }
  return null;
};

const GENERATORS: Record<QuestionType, Generator> = {
  color,
  shape,
  count,
  exist,
  where,
  read,
  relation,
  pattern: patternQuestion,
  dots: dotsQuestion,
  knowledge: knowledgeQuestion,
};

/** One question of the given type, or null when the scene cannot support it (e.g. no word). */
export function vqaOfType(scene: Scene, rng: Rng, type: QuestionType): QuestionAnswers | null {
  if (scene.version !== 2 && (type === 'pattern' || type === 'dots')) {
    throw new Error(`vqaOfType: question type "${type}" needs a world v2 scene (generate it with version: 2)`);
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const q = GENERATORS[type](scene, rng);
    if (q) return q;
  }
  return null;
}

/** One question per type the scene supports (all types unless `types` is given). */
export function vqaFor(scene: Scene, rng: Rng, types: readonly QuestionType[] = QUESTION_TYPES): QuestionAnswers[] {
  return types.map((t) => vqaOfType(scene, rng, t)).filter((q): q is QuestionAnswers => q !== null);
}

/** The answer most of the ten people gave (the one to show in a document or conversation). */
export function majorityAnswer(answers: readonly string[]): string {
  let best = answers[0];
  let bestCount = 0;
  for (const a of answers) {
    const c = answers.filter((x) => x === a).length;
    if (c > bestCount) [best, bestCount] = [a, c];
  }
  return best;
}
