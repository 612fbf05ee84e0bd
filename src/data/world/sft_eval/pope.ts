// POPE analogue (Li et al. 2023, "Evaluating Object Hallucination in Large Vision-Language
// Models"): "is there a red star in the picture?" about objects that are there (yes) and
// objects that are not (no), half and half. Absent objects are drawn three ways, as POPE's:
// random (any absent kind), popular (the most frequent kinds in the world's pictures) and
// adversarial (the kinds that most often share a picture with the ones present). Pictures come
// from the eval scene split; the object statistics from training scenes (object_stats.ts).
import { Rng } from '../../../engine/rng.js';
import { withArticle } from '../describe.js';
import type { WorldVersion } from '../lexicon.js';
import { renderScene } from '../render.js';
import { generateScene } from '../scene.js';
import { byFrequency, cooccurrenceWith, kindsIn, objectStats, TRAINABLE_KINDS, type ObjectKind, type ObjectStats } from './object_stats.js';
import type { YesNoItem } from './probe_item.js';

export const POPE_SPLITS = ['random', 'popular', 'adversarial'] as const;
export type PopeSplit = (typeof POPE_SPLITS)[number];

/** Objects asked about per picture, present and absent each (POPE asks 3 of each on COCO's busier pictures). */
export const PROBES_PER_PICTURE = 2;

export interface PopeOptions {
  version: WorldVersion;
  imageSize: number;
  /** Statistics to draw popular and adversarial negatives from (default: objectStats(seed, version)). */
  stats?: ObjectStats;
}

/** `n` absent kinds for a picture holding `present`, by the split's rule. */
export function absentKinds(split: PopeSplit, present: ReadonlySet<ObjectKind>, n: number, stats: ObjectStats, rng: Rng): ObjectKind[] {
  const absent = TRAINABLE_KINDS.filter((k) => !present.has(k));
  if (split === 'random') return rng.shuffle([...absent]).slice(0, n);
  const ranked = byFrequency(stats).filter((k) => !present.has(k));
  if (split === 'popular') return ranked.slice(0, n);
  // Stable sort: equal co-occurrence keeps the more frequent kind first.
  return [...ranked].sort((a, b) => cooccurrenceWith(stats, b, present) - cooccurrenceWith(stats, a, present)).slice(0, n);
}

const question = (kind: ObjectKind) => `is there ${withArticle([kind])} in the picture?`;

/** The first `n` questions of a split: per eval picture, present and absent kinds alternately. */
export function popeItems(seed: number, split: PopeSplit, n: number, opts: PopeOptions): YesNoItem[] {
  const stats = opts.stats ?? objectStats(seed, opts.version);
  // One picture stream for every split, as POPE asks its three splits about the same images.
  const pictures = new Rng(seed).fork('pope/pictures');
  const negatives = new Rng(seed).fork(`pope/${split}`);
  const items: YesNoItem[] = [];
  for (let p = 0; items.length < n; p++) {
    const scene = generateScene(pictures, { split: 'eval', minObjects: 2, version: opts.version });
    const present = kindsIn(scene);
    const yes = pictures.shuffle([...present]).slice(0, PROBES_PER_PICTURE);
    const no = absentKinds(split, present, yes.length, stats, negatives);
    const image = renderScene(scene, opts.imageSize);
    const pictureId = `world:test:pope:${p}`;
    yes.forEach((kind, i) => {
      for (const [about, answer] of [
        [kind, 'yes'],
        [no[i], 'no'],
      ] as const) {
        items.push({ id: `world:test:pope-${split}:${items.length}`, pictureId, image, scene, question: question(about), answer, about });
      }
    });
  }
  return items.slice(0, n);
}
