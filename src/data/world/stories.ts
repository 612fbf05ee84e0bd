// Short stories in the world's vocabulary whose last word needs the story to be predicted
// (LAMBADA-like) and whose ending can be told apart from wrong endings (HellaSwag-like).
// Stories are split between training and evaluation by a hash of what happens in them.
import type { Rng } from '../../engine/rng.js';
import { withArticle } from './describe.js';
import { MIXES } from './knowledge.js';
import { COLORS, NUMBER_WORDS, SHAPES, SHAPE_PLURALS } from './lexicon.js';

export interface Story {
  /** What happens, canonically; equal keys are the same story. */
  key: string;
  /** Full text, ending with the target word and a period. */
  text: string;
  /** The text up to (not including) the target word. */
  context: string;
  target: string;
  /** Wrong last words a careless reader might pick, for multiple choice. */
  wrongTargets: string[];
}

export const NAMES = [
  ['tom', 'he'],
  ['sam', 'he'],
  ['ann', 'she'],
  ['mia', 'she'],
] as const;
export const ITEMS = ['box', 'cup', 'hat', 'pen', 'key', 'egg', 'toy', 'map', 'car', 'bus'] as const;
export const ITEM_PLURALS: Record<string, string> = {
  box: 'boxes',
  cup: 'cups',
  hat: 'hats',
  pen: 'pens',
  key: 'keys',
  egg: 'eggs',
  toy: 'toys',
  map: 'maps',
  car: 'cars',
  bus: 'buses',
};
const NUMS = NUMBER_WORDS as readonly string[];
const PLACES = ['on the left', 'on the right', 'at the top', 'at the bottom'] as const;
const PLACE_WORD: Record<string, string> = {
  'on the left': 'left',
  'on the right': 'right',
  'at the top': 'top',
  'at the bottom': 'bottom',
};

function story(key: string, context: string, target: string, wrong: string[]): Story {
  const wrongTargets = [...new Set(wrong.filter((w) => w !== target))];
  return { key, text: `${context} ${target}.`, context, target, wrongTargets };
}

function twoPeople(rng: Rng) {
  const [a, b] = rng.shuffle([...NAMES]);
  return { a: a[0], aPro: a[1], b: b[0] };
}

const KINDS: ((rng: Rng) => Story)[] = [
  // counting up: "tom has two red boxes. he gets three more. now he has five."
  (rng) => {
    const { a, aPro } = twoPeople(rng);
    const n = 1 + rng.int(5);
    const k = 1 + rng.int(10 - n);
    const item = rng.pick(ITEMS);
    const color = rng.pick(COLORS);
    const thing = n === 1 ? withArticle([color, item]) : `${NUMS[n]} ${color} ${ITEM_PLURALS[item]}`;
    const ctx = `${a} has ${thing}. ${aPro} gets ${NUMS[k]} more. now ${aPro} has`;
    return story(`up:${a}:${n}:${k}:${item}:${color}`, ctx, NUMS[n + k], [NUMS[n], NUMS[k], NUMS[n + k + 1] ?? 'one']);
  },
  // giving away: "ann has five eggs. she gives two to sam. now ann has three."
  (rng) => {
    const { a, aPro, b } = twoPeople(rng);
    const n = 2 + rng.int(9);
    const k = 1 + rng.int(n - 1);
    const item = rng.pick(ITEMS);
    const ctx = `${a} has ${NUMS[n]} ${ITEM_PLURALS[item]}. ${aPro} gives ${NUMS[k]} to ${b}. now ${a} has`;
    return story(`down:${a}:${b}:${n}:${k}:${item}`, ctx, NUMS[n - k], [NUMS[n], NUMS[k], NUMS[n + k] ?? 'ten']);
  },
  // handing over: the target is the object that changed hands
  (rng) => {
    const { a, aPro, b } = twoPeople(rng);
    const [x, y] = rng.shuffle([...ITEMS]);
    const [cx, cy] = rng.shuffle([...COLORS]);
    const ctx = `${a} has ${withArticle([cx, x])}. ${b} has ${withArticle([cy, y])}. ${a} gives ${aPro === 'he' ? 'his' : 'her'} ${x} to ${b}. now ${b} has the ${y} and the`;
    return story(`give:${a}:${b}:${x}:${y}:${cx}:${cy}`, ctx, x, [y, ...ITEMS.filter((i) => i !== x && i !== y).slice(0, 2)]);
  },
  // moving things: the target is where the object that did not move still is
  (rng) => {
    const { a, aPro } = twoPeople(rng);
    const [x, y] = rng.shuffle([...ITEMS]);
    const [px, py, moved] = rng.shuffle([...PLACES]);
    const ctx = `${a} puts ${withArticle([x])} ${px} and ${withArticle([y])} ${py}. then ${aPro} moves the ${x} to the ${PLACE_WORD[moved]}. now the ${y} is ${py.split(' ').slice(0, 2).join(' ')}`;
    return story(`move:${a}:${x}:${y}:${px}:${py}:${moved}`, ctx, PLACE_WORD[py], [PLACE_WORD[px], PLACE_WORD[moved]]);
  },
  // paint: needs the colour-mixing facts
  (rng) => {
    const { a, aPro } = twoPeople(rng);
    const [c1, c2, mix] = rng.pick(MIXES);
    const [first, second] = rng.next() < 0.5 ? [c1, c2] : [c2, c1];
    const ctx = `${a} has ${first} paint and ${second} paint. ${aPro} mixes them. now the paint is`;
    return story(`paint:${a}:${first}:${second}`, ctx, mix, [first, second, ...MIXES.map((m) => m[2])]);
  },
  // drawing shapes: counts one kind among others
  (rng) => {
    const { a, aPro } = twoPeople(rng);
    const [s, t] = rng.shuffle([...SHAPES]);
    const n = 1 + rng.int(4);
    const k = 1 + rng.int(4);
    const first = n === 1 ? `a ${s}` : `${NUMS[n]} ${SHAPE_PLURALS[s]}`;
    const ctx = `${a} draws ${first} and a ${t}. then ${aPro} draws ${NUMS[k]} more ${k === 1 ? s : SHAPE_PLURALS[s]}. now the number of ${SHAPE_PLURALS[s]} is`;
    return story(`draw:${a}:${s}:${t}:${n}:${k}`, ctx, NUMS[n + k], [NUMS[n], NUMS[k], NUMS[n + k + 1]]);
  },
];

/** FNV-1a with a finaliser, as for scenes. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** One story in four (by hash of its key) is kept for evaluation. */
export function storySplitOf(s: Story): 'train' | 'eval' {
  return keyHash(s.key) % 4 === 0 ? 'eval' : 'train';
}

/** Draws a story of the given split; stories of the other split are redrawn. */
export function drawStory(rng: Rng, split: 'train' | 'eval'): Story {
  for (;;) {
    const s = rng.pick(KINDS)(rng);
    if (storySplitOf(s) === split) return s;
  }
}
