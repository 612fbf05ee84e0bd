// Text-only documents (facts, Q/A drills, stories, counting) and the text-only evaluation
// items (TextCore analogues). Facts are the world's fixed knowledge, so evaluation asks
// about facts that training states; stories are split by hash, so evaluation stories are new.
import type { Rng } from '../../engine/rng.js';
import type { ClozeItem, WorldMultipleChoiceItem, OpenQaItem } from './eval_items.js';
import { qaPrompt, qaText } from './formats.js';
import { FACTS } from './knowledge.js';
import { NUMBER_WORDS } from './lexicon.js';
import { drawStory } from './stories.js';

type StorySplit = 'train' | 'eval';

const TOPICS = [...new Set(FACTS.map((f) => f.topic))];

function counting(rng: Rng): string {
  const start = 1 + rng.int(5);
  const len = 3 + rng.int(4);
  const words = NUMBER_WORDS.slice(start, Math.min(start + len, NUMBER_WORDS.length));
  return `${words.join(', ')}.`;
}

/** Several facts on one topic (topics drawn uniformly, so arithmetic does not crowd out the rest). */
function factLesson(rng: Rng): string[] {
  const topic = rng.pick(TOPICS);
  const facts = rng.shuffle(FACTS.filter((f) => f.topic === topic)).slice(0, 3 + rng.int(4));
  const drill = rng.next() < 0.35;
  return facts.map((f) => (drill ? qaText(f.question, f.answers[0]) : f.statement));
}

/** The text of one training document. */
export function textDocumentText(rng: Rng): string {
  const parts: string[] = [];
  const kind = rng.int(4);
  if (kind !== 1) parts.push(...factLesson(rng));
  if (kind === 3) parts.push(...factLesson(rng));
  if (kind !== 0) for (let i = 1 + rng.int(3); i > 0; i--) parts.push(drawStory(rng, 'train').text);
  if (rng.next() < 0.15) parts.push(counting(rng));
  return parts.join(' ');
}

/** Drops the final period and splits off the last word: [context, target]. */
function splitLastWord(sentence: string): [string, string] {
  const body = sentence.replace(/\.$/, '');
  const cut = body.lastIndexOf(' ');
  return [body.slice(0, cut), body.slice(cut + 1)];
}

/** Fact i of an evaluation set: topics in turn, so every kind of knowledge is asked about. */
function factForItem(rng: Rng, i: number) {
  const topic = TOPICS[i % TOPICS.length];
  return rng.pick(FACTS.filter((f) => f.topic === topic));
}

export function openQaItems(rng: Rng, n: number, idPrefix: string): OpenQaItem[] {
  return Array.from({ length: n }, (_, i) => {
    const f = factForItem(rng, i);
    return { id: `${idPrefix}:${i}`, question: f.question, answers: [...f.answers] };
  });
}

/** Half ARC-like fact questions, half HellaSwag-like story endings; four choices where possible. */
export function multipleChoiceItems(rng: Rng, n: number, idPrefix: string, stories: StorySplit = 'eval'): WorldMultipleChoiceItem[] {
  return Array.from({ length: n }, (_, i) => {
    let context: string;
    let right: string;
    let wrong: string[];
    if (i % 2 === 0) {
      const f = factForItem(rng, i / 2);
      [context, right, wrong] = [qaPrompt(f.question), f.answers[0], f.distractors];
    } else {
      const s = drawStory(rng, stories);
      [context, right, wrong] = [s.context, s.target, s.wrongTargets];
    }
    const choices = rng.shuffle([right, ...rng.shuffle([...wrong]).slice(0, 3)]);
    return { id: `${idPrefix}:${i}`, context, choices, answerIndex: choices.indexOf(right) };
  });
}

/** LAMBADA-like: mostly held-out stories, some fact statements whose last word is the answer. */
export function clozeItems(rng: Rng, n: number, idPrefix: string, stories: StorySplit = 'eval'): ClozeItem[] {
  const clozable = FACTS.filter((f) => f.clozable);
  return Array.from({ length: n }, (_, i) => {
    if (rng.next() < 0.3) {
      const [context, target] = splitLastWord(rng.pick(clozable).statement);
      return { id: `${idPrefix}:${i}`, context, target };
    }
    const s = drawStory(rng, stories);
    return { id: `${idPrefix}:${i}`, context: s.context, target: s.target };
  });
}
