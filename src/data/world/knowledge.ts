// World knowledge that only text documents state: shape facts, colours of things, colour
// mixing, animals, small arithmetic, counting order and opposites. Text-only evaluation
// (open QA, multiple choice, cloze) asks about these, so it measures what text data taught.
import { NUMBER_WORDS } from './lexicon.js';

export interface Fact {
  /** What the fact is about ('counts', 'colors', 'mixing', 'plus', ...): lessons stay on one topic. */
  topic: string;
  statement: string;
  question: string;
  /** Accepted answers, preferred first. */
  answers: string[];
  /** Wrong answers of the same kind, for multiple choice. */
  distractors: string[];
  /** True when the statement's last word is answers[0], so it can be a cloze item. */
  clozable: boolean;
}

const NUMS = NUMBER_WORDS as readonly string[];
const COLOR_CHOICES = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'gray', 'white', 'black'];
const SHAPE_CHOICES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring'];

function numberAnswers(n: number): string[] {
  return n === 0 ? ['zero', '0', 'none'] : [NUMS[n], String(n)];
}
function otherNumbers(n: number): string[] {
  return NUMS.filter((w, i) => i !== n && i >= 1 && i <= 8 && w !== NUMS[n]);
}
function others(all: string[], right: string): string[] {
  return all.filter((x) => x !== right);
}

export const COUNTED: [string, number, string][] = [
  ['a triangle', 3, 'sides'],
  ['a square', 4, 'sides'],
  ['a star', 5, 'points'],
  ['a cross', 4, 'arms'],
  ['a square', 4, 'corners'],
  ['a cat', 4, 'legs'],
  ['a dog', 4, 'legs'],
  ['a fox', 4, 'legs'],
  ['an owl', 2, 'legs'],
  ['a bee', 6, 'legs'],
  ['a circle', 0, 'corners'],
  ['a ring', 0, 'corners'],
];

const THING_COLORS: [string, string][] = [
  ['the sun', 'yellow'],
  ['the sky', 'blue'],
  ['the sea', 'blue'],
  ['the grass', 'green'],
  ['the snow', 'white'],
  ['the night', 'black'],
  ['a fire', 'red'],
  ['a leaf', 'green'],
  ['a pig', 'pink'],
  ['a lemon', 'yellow'],
  ['a plum', 'purple'],
  ['a fox', 'orange'],
  ['an owl', 'brown'],
];

export const MIXES: [string, string, string][] = [
  ['red', 'yellow', 'orange'],
  ['blue', 'yellow', 'green'],
  ['red', 'blue', 'purple'],
  ['red', 'white', 'pink'],
  ['black', 'white', 'gray'],
];

export const CAN_FLY: [string, boolean][] = [
  ['a bee', true],
  ['an owl', true],
  ['a cat', false],
  ['a dog', false],
  ['a fox', false],
  ['a pig', false],
];

const OPPOSITES: [string, string][] = [
  ['left', 'right'],
  ['right', 'left'],
  ['top', 'bottom'],
  ['bottom', 'top'],
  ['small', 'large'],
  ['large', 'small'],
  ['big', 'small'],
  ['yes', 'no'],
  ['black', 'white'],
  ['more', 'less'],
];

export const ROUND: [string, string][] = [
  ['circle', 'square'],
  ['ring', 'triangle'],
  ['circle', 'star'],
  ['ring', 'cross'],
];

function buildFacts(): Fact[] {
  const facts: Fact[] = [];
  for (const [thing, n, noun] of COUNTED) {
    const amount = n === 0 ? 'no' : NUMS[n];
    facts.push({
      topic: 'counts',
      statement: `${thing} has ${amount} ${noun}.`,
      question: `how many ${noun} does ${thing} have?`,
      answers: numberAnswers(n),
      distractors: otherNumbers(n),
      clozable: false,
    });
  }
  for (const [thing, color] of THING_COLORS) {
    facts.push({
      topic: 'colors',
      statement: `${thing} is ${color}.`,
      question: `what color is ${thing}?`,
      answers: [color],
      distractors: others(COLOR_CHOICES, color),
      clozable: true,
    });
  }
  for (const [a, b, mix] of MIXES) {
    facts.push({
      topic: 'mixing',
      statement: `${a} and ${b} make ${mix}.`,
      question: `what do ${a} and ${b} make?`,
      answers: [mix],
      distractors: others(COLOR_CHOICES, mix).filter((c) => c !== a && c !== b),
      clozable: true,
    });
  }
  for (const [thing, flies] of CAN_FLY) {
    facts.push({
      topic: 'flying',
      statement: flies ? `${thing} can fly.` : `${thing} can not fly.`,
      question: `can ${thing} fly?`,
      answers: [flies ? 'yes' : 'no'],
      distractors: [flies ? 'no' : 'yes'],
      clozable: false,
    });
  }
  for (const [word, opposite] of OPPOSITES) {
    facts.push({
      topic: 'opposites',
      statement: `the opposite of ${word} is ${opposite}.`,
      question: `what is the opposite of ${word}?`,
      answers: [opposite],
      distractors: others(['left', 'right', 'top', 'bottom', 'small', 'large', 'yes', 'no', 'more', 'less'], opposite).filter((w) => w !== word),
      clozable: true,
    });
  }
  for (const [round, angular] of ROUND) {
    facts.push({
      topic: 'round',
      statement: `a ${round} is round and a ${angular} is not.`,
      question: `which shape is round, a ${round} or a ${angular}?`,
      answers: [round],
      distractors: [angular, ...others(SHAPE_CHOICES, round).filter((s) => s !== angular && s !== 'circle' && s !== 'ring')],
      clozable: false,
    });
  }
  for (let n = 1; n <= 9; n++) {
    facts.push({
      topic: 'order',
      statement: `after ${NUMS[n]} comes ${NUMS[n + 1]}.`,
      question: `what comes after ${NUMS[n]}?`,
      answers: numberAnswers(n + 1),
      distractors: otherNumbers(n + 1),
      clozable: true,
    });
  }
  for (let a = 0; a <= 5; a++) {
    for (let b = 0; b <= 5; b++) {
      facts.push({
        topic: 'plus',
        statement: `${NUMS[a]} plus ${NUMS[b]} is ${NUMS[a + b]}.`,
        question: `what is ${NUMS[a]} plus ${NUMS[b]}?`,
        answers: numberAnswers(a + b),
        distractors: otherNumbers(a + b),
        clozable: true,
      });
      if (a >= b) {
        facts.push({
          topic: 'minus',
          statement: `${NUMS[a]} minus ${NUMS[b]} is ${NUMS[a - b]}.`,
          question: `what is ${NUMS[a]} minus ${NUMS[b]}?`,
          answers: numberAnswers(a - b),
          distractors: otherNumbers(a - b),
          clozable: true,
        });
      }
    }
  }
  return facts;
}

/** Every fact the world states, in a fixed order. */
export const FACTS: readonly Fact[] = buildFacts();
