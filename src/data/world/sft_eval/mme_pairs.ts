// MME analogue (Fu et al. 2023): every picture gets two yes/no questions on one subtask, one
// whose answer is yes and one whose answer is no, so a model that always says "yes" scores
// 50% accuracy and 0% accuracy+ (both questions of a picture right). The five subtasks are
// MME's perception subtasks the world can pose, under MME's names so its scorer
// (eval/sftbench/mme.ts) reads them: existence, count, position, color, OCR. Pictures come
// from the eval scene split.
import { Rng } from '../../../engine/rng.js';
import { cellPhrase, numberWord, pickReference, withArticle } from '../describe.js';
import { COLORS, WORDS, type WorldVersion } from '../lexicon.js';
import { renderScene } from '../render.js';
import { generateScene, type Scene } from '../scene.js';
import { kindsIn, TRAINABLE_KINDS } from './object_stats.js';
import type { YesNoItem } from './probe_item.js';

export const MME_WORLD_SUBTASKS = ['existence', 'count', 'position', 'color', 'OCR'] as const;
export type MmeWorldSubtask = (typeof MME_WORLD_SUBTASKS)[number];

type Pair = { yes: string; no: string };

const count = (n: number) => (n === 1 ? 'is there one shape?' : `are there ${numberWord(n)} shapes?`);

/** The yes and the no question of `subtask` about `scene`, or null when the scene cannot carry it. */
function pairFor(subtask: MmeWorldSubtask, scene: Scene, rng: Rng): Pair | null {
  const obj = rng.pick(scene.objects);
  switch (subtask) {
    case 'existence': {
      const present = kindsIn(scene);
      const absent = TRAINABLE_KINDS.filter((k) => !present.has(k));
      const ask = (kind: string) => `is there ${withArticle([kind])} in the picture?`;
      return { yes: ask(rng.pick([...present])), no: ask(rng.pick(absent)) };
    }
    case 'count': {
      const n = scene.objects.length;
      const wrong = n === 1 ? 2 : n + (rng.next() < 0.5 ? -1 : 1);
      return { yes: count(n), no: count(wrong) };
    }
    case 'position': {
      const ref = pickReference(rng, scene, obj, ['shape', 'color', 'size']);
      const elsewhere = rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8].filter((c) => c !== obj.cell));
      return ref ? { yes: `is ${ref} ${cellPhrase(obj.cell)}?`, no: `is ${ref} ${cellPhrase(elsewhere)}?` } : null;
    }
    case 'color': {
      const ref = pickReference(rng, scene, obj, ['shape', 'size', 'cell']);
      return ref ? { yes: `is ${ref} ${obj.color}?`, no: `is ${ref} ${rng.pick(COLORS.filter((c) => c !== obj.color))}?` } : null;
    }
    case 'OCR': {
      if (!scene.text) return null;
      const word = scene.text.word;
      const ask = (w: string) => `is the word ${w} written in the picture?`;
      return { yes: ask(word), no: ask(rng.pick(WORDS.filter((w) => w !== word))) };
    }
  }
}

/** The first `n` questions: picture p asks subtask p mod 5, its yes and no question in a random order. */
export function mmePairItems(seed: number, n: number, opts: { version: WorldVersion; imageSize: number }): YesNoItem[] {
  const rng = new Rng(seed).fork('mme');
  const items: YesNoItem[] = [];
  for (let p = 0; items.length < n; p++) {
    const subtask = MME_WORLD_SUBTASKS[p % MME_WORLD_SUBTASKS.length];
    let scene: Scene;
    let pair: Pair | null;
    do {
      scene = generateScene(rng, { split: 'eval', version: opts.version, requireText: subtask === 'OCR' });
      pair = pairFor(subtask, scene, rng);
    } while (!pair);
    const image = renderScene(scene, opts.imageSize);
    const pictureId = `world:test:mme:${p}`;
    const order = rng.next() < 0.5 ? (['yes', 'no'] as const) : (['no', 'yes'] as const);
    for (const answer of order) items.push({ id: `${pictureId}#${answer}`, pictureId, image, scene, question: pair[answer], answer, about: subtask });
  }
  return items.slice(0, n);
}
