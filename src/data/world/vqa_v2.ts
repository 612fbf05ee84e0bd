// World v2's question types: the surface pattern of a shape (64 px tells stripes, only 128 px
// tells checks), the small dots (their colour at any size, their number from 64 px), and the
// OK-VQA analogue: questions about what is in the picture whose answer only text documents
// state ("a star has five points", "red and yellow make orange", "an owl can fly").
import type { Rng } from '../../engine/rng.js';
import { numberWord, pickReference } from './describe.js';
import type { QuestionAnswers } from './eval_items.js';
import { CAN_FLY, COUNTED, MIXES, ROUND } from './knowledge.js';
import type { SceneObject } from './scene.js';
import type { Scene } from './scene.js';
import { patternOf } from './scene_v2.js';
import { qa, tenAnswers, yesNo } from './vqa.js';

const PATTERN_QUESTIONS = ['what pattern is on {ref}?', 'what pattern does {ref} have?'];

export function patternQuestion(scene: Scene, rng: Rng): QuestionAnswers | null {
  const obj = rng.pick(scene.objects);
  const ref = pickReference(rng, scene, obj, ['shape', 'color', 'size', 'cell']);
  if (!ref) return null;
  return qa(rng.pick(PATTERN_QUESTIONS).replace('{ref}', ref), tenAnswers(rng, patternOf(obj)), 'other', 'pattern', [obj.cell]);
}

export function dotsQuestion(scene: Scene, rng: Rng): QuestionAnswers | null {
  const dots = scene.dots;
  if (!dots) return null;
  if (rng.next() < 0.3) return qa('what color are the dots?', tenAnswers(rng, dots.color), 'other', 'dots', [dots.cell]);
  const n = dots.points.length;
  return qa('how many dots are there?', tenAnswers(rng, String(n), numberWord(n)), 'number', 'dots', [dots.cell]);
}

/**
 * Facts about shapes ("a square has four sides"): [noun, number] per shape. Only nouns that
 * more than one shape has a fact for, so the noun alone does not give the answer away
 * ("points" would mean a star, hence five, without looking).
 */
const SHARED_NOUNS = ['sides', 'corners'];
function countFacts(shape: string): [string, number][] {
  return COUNTED.filter(([thing, , noun]) => thing === `a ${shape}` && SHARED_NOUNS.includes(noun)).map(([, n, noun]) => [noun, n]);
}
const ROUND_SHAPES = new Set(ROUND.map(([round]) => round));
const ANIMAL_LEGS = new Map(COUNTED.filter(([, , noun]) => noun === 'legs').map(([thing, n]) => [thing.split(' ')[1], n]));
const ANIMAL_FLIES = new Map(CAN_FLY.map(([thing, flies]) => [thing.split(' ')[1], flies]));

/** Numbers as the fact documents write them ("three"), with the digit as the minority answer. */
function numberAnswers(rng: Rng, n: number): string[] {
  return n === 0 ? tenAnswers(rng, 'zero', '0') : tenAnswers(rng, numberWord(n), String(n));
}

type Ask = () => QuestionAnswers | null;

/** An OK-VQA-style question: the picture says which thing, only text says the answer. */
export function knowledgeQuestion(scene: Scene, rng: Rng): QuestionAnswers | null {
  const ref = (o: SceneObject) => pickReference(rng, scene, o, ['color', 'size', 'cell']); // never names the shape
  const asks: Ask[] = [
    () => {
      const o = rng.pick(scene.objects);
      const facts = countFacts(o.shape);
      const r = ref(o);
      if (facts.length === 0 || !r) return null;
      const [noun, n] = rng.pick(facts);
      return qa(`how many ${noun} does ${r} have?`, numberAnswers(rng, n), 'number', 'knowledge', [o.cell]);
    },
    () => {
      if (rng.next() < 0.5) return null; // always possible, so asked half as often as it comes up
      const o = rng.pick(scene.objects);
      const r = ref(o);
      return r ? yesNo(rng, `is ${r} round?`, ROUND_SHAPES.has(o.shape), 'knowledge', [o.cell]) : null;
    },
    () => {
      if (scene.objects.length < 2) return null;
      const [a, b] = rng.shuffle([...scene.objects]);
      const mix = MIXES.find(([x, y]) => (x === a.color && y === b.color) || (x === b.color && y === a.color));
      // references by shape, size or place, never colour: the picture must give the colours
      const [ra, rb] = [pickReference(rng, scene, a, ['shape', 'size', 'cell']), pickReference(rng, scene, b, ['shape', 'size', 'cell'])];
      if (!mix || !ra || !rb) return null;
      return qa(`what do ${ra} and ${rb} make?`, tenAnswers(rng, mix[2]), 'other', 'knowledge', [a.cell, b.cell]);
    },
    () => {
      const animal = scene.text?.word;
      if (!animal || !ANIMAL_LEGS.has(animal)) return null;
      if (rng.next() < 0.5) {
        return qa('how many legs does the animal written in the picture have?', numberAnswers(rng, ANIMAL_LEGS.get(animal)!), 'number', 'knowledge', [
          scene.text!.cell,
        ]);
      }
      return yesNo(rng, 'can the animal written in the picture fly?', ANIMAL_FLIES.get(animal) ?? false, 'knowledge', [scene.text!.cell]);
    },
  ];
  for (const ask of rng.shuffle(asks)) {
    const q = ask();
    if (q) return q;
  }
  return null;
}
