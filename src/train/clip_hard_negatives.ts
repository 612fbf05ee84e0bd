// Hard negatives for the CLIP stage (opt-in: encoder.clipHardNegatives k). In a batch of
// random pairs the captions almost always differ in colours, shapes or counts as well as in
// the word, so the contrastive loss is met without reading (docs/reading.md, session 5). Here
// the pairs come in groups of k: one scene drawn once and printed with k different words,
// each with the same caption template naming its own word. Inside a group the pictures and
// the captions differ in the word alone, so telling them apart needs reading it.
import { Rng } from '../engine/rng.js';
import { generateScene, lexicon, renderScene, sceneSplitOf, textCaptionsFor, type Scene, type WorldVersion } from '../data/world/index.js';
import type { ClipDataOptions, ClipPair } from './clip_data.js';

/** Largest group: each word of a group keeps the scene in the train split, and about 1 in 8 words moves it to eval. */
export const MAX_HARD_NEGATIVES = 10;

/**
 * Pair `index` when pairs come in groups of k (group ⌊index/k⌋, member index mod k): a text
 * pair of its group's scene, or null when the group was drawn as caption-stream pairs (a
 * share 1 − textShare of groups), which the caller takes from the caption stream as usual.
 * Depends only on (seed, textShare, k, index), so a batch is a function of its step.
 */
export function hardNegativePair(o: Pick<ClipDataOptions, 'seed' | 'textShare' | 'renderSize' | 'version'>, k: number, index: number): ClipPair | null {
  if (!Number.isInteger(k) || k < 2 || k > MAX_HARD_NEGATIVES)
    throw new Error(
      `clip data: hardNegatives must be a whole number from 2 to ${MAX_HARD_NEGATIVES} (pictures per scene), got ${k}; use 1 or leave it out for none`,
    );
  const rng = new Rng(o.seed).fork(`clip/hard/${Math.floor(index / k)}`);
  if (!(rng.next() < o.textShare)) return null;
  const { scene, words } = groupScene(rng, o.version ?? 1, k);
  const word = words[index % k];
  const variant: Scene = { ...scene, text: { ...scene.text!, word } };
  // The same caption stream for every member: the same template, so the captions differ only in the word.
  return { image: renderScene(variant, o.renderSize), caption: textCaptionsFor(variant, rng.fork('caption'))[0], word };
}

/** A text-bearing train scene and k distinct words, each of which keeps it in the train split (the split hashes the word too). */
function groupScene(rng: Rng, version: WorldVersion, k: number): { scene: Scene; words: string[] } {
  for (;;) {
    const scene = generateScene(rng, { split: 'train', requireText: true, version });
    const others = rng
      .shuffle(lexicon.WORDS.filter((w) => w !== scene.text!.word))
      .filter((w) => sceneSplitOf({ ...scene, text: { ...scene.text!, word: w } }) === 'train');
    if (others.length >= k - 1) return { scene, words: [scene.text!.word, ...others.slice(0, k - 1)] };
  }
}
