// An independent reader of world questions and captions, written from the question grammar
// and the scene graph only (it shares the word lists, not the generator code), so tests can
// recompute every answer and check every claim.
import { CELL_NAMES, CELL_PHRASES, COLORS, SHAPES, SHAPE_PLURALS, SIZES } from '../../src/data/world/lexicon.js';
import type { Scene, SceneObject } from '../../src/data/world/scene.js';

const row = (o: SceneObject) => Math.floor(o.cell / 3);
const col = (o: SceneObject) => o.cell % 3;

export const REL: Record<string, (a: SceneObject, b: SceneObject) => boolean> = {
  'to the left of': (a, b) => col(a) < col(b),
  'to the right of': (a, b) => col(a) > col(b),
  above: (a, b) => row(a) < row(b),
  below: (a, b) => row(a) > row(b),
};

const isIn = (list: readonly string[], w: string) => list.includes(w);
const singular = (w: string) => Object.entries(SHAPE_PLURALS).find(([, p]) => p === w)?.[0] ?? w;

/** Objects matching "[size] [color] (shape|<shape>|shapes|<shapes>)". */
function byWords(scene: Scene, words: string[]): SceneObject[] {
  return scene.objects.filter((o) =>
    words.every((w) => {
      if (isIn(SIZES, w)) return o.size === w;
      if (isIn(COLORS, w)) return o.color === w;
      if (w === 'shape' || w === 'shapes') return true;
      const s = singular(w);
      if (isIn(SHAPES, s)) return o.shape === s;
      throw new Error(`solver: unexpected word "${w}"`);
    }),
  );
}

/** The objects a definite noun phrase ("the red star", "the shape above the ring") denotes. */
export function denote(scene: Scene, phrase: string): SceneObject[] {
  for (const rel of Object.keys(REL)) {
    const prefix = `the shape ${rel} `;
    if (phrase.startsWith(prefix)) {
      const anchor = one(scene, phrase.slice(prefix.length));
      return scene.objects.filter((o) => o !== anchor && REL[rel](o, anchor));
    }
  }
  const cell = CELL_PHRASES.findIndex((p) => phrase === `the shape ${p}`);
  if (cell >= 0) return scene.objects.filter((o) => o.cell === cell);
  const words = phrase.split(' ');
  if (words[0] !== 'the') throw new Error(`solver: "${phrase}" is not a definite phrase`);
  return byWords(scene, words.slice(1));
}

export function one(scene: Scene, phrase: string): SceneObject {
  const d = denote(scene, phrase);
  if (d.length !== 1) throw new Error(`solver: "${phrase}" denotes ${d.length} objects, expected exactly one`);
  return d[0];
}

/** The answer to a world question, recomputed from the scene graph. */
export function solve(scene: Scene, q: string): string {
  let m: RegExpMatchArray | null;
  if ((m = q.match(/^what color is (.+)\?$/))) return one(scene, m[1]).color;
  if ((m = q.match(/^what shape is (.+)\?$/))) {
    const cell = CELL_PHRASES.indexOf(m[1] as (typeof CELL_PHRASES)[number]);
    if (cell >= 0)
      return scene.objects
        .filter((o) => o.cell === cell)
        .map((o) => o.shape)
        .join('|');
    return one(scene, `the shape ${m[1]}`).shape;
  }
  if ((m = q.match(/^what is (the .+)\?$/)) && !/written/.test(q)) return one(scene, m[1]).shape;
  if ((m = q.match(/^how many (.+) are there\?$/))) return String(byWords(scene, m[1].split(' ')).length);
  if ((m = q.match(/^is there an? (.+)\?$/))) return byWords(scene, m[1].split(' ')).length > 0 ? 'yes' : 'no';
  if ((m = q.match(/^are there any (\w+) shapes\?$/))) return byWords(scene, [m[1]]).length > 0 ? 'yes' : 'no';
  if (q === 'where is the word?') return CELL_NAMES[scene.text!.cell];
  if ((m = q.match(/^where is (.+)\?$/))) return CELL_NAMES[one(scene, m[1]).cell];
  if (/word|written|text/.test(q)) return scene.text!.word;
  if ((m = q.match(/^is (the .+)\?$/))) {
    for (const rel of Object.keys(REL)) {
      const parts = m[1].split(` ${rel} `);
      if (parts.length === 2) return REL[rel](one(scene, parts[0]), one(scene, parts[1])) ? 'yes' : 'no';
    }
  }
  throw new Error(`solver: cannot parse question "${q}"`);
}

const SYNONYMS: Record<string, string> = {
  none: '0',
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  'upper left': 'top left',
  'upper right': 'top right',
  'lower left': 'bottom left',
  'lower right': 'bottom right',
  center: 'middle',
};

/** The canonical form of an answer: digits for numbers, grid names for places. */
export function canonical(answer: string): string {
  return SYNONYMS[answer] ?? answer;
}
