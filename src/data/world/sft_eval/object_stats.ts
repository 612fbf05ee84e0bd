// The world's object statistics, as POPE reads COCO's: how often each object kind appears in
// a picture, and how often two kinds appear in the same picture. An "object" is a colour ×
// shape pair ("red star"): the world's analogue of a COCO category (6 shapes alone would leave
// too few absent objects to ask about). Counted over training scenes, so the statistics are
// the world's, not the evaluated pictures'.
import { Rng } from '../../../engine/rng.js';
import { COLORS, SHAPES, isHeldoutCombo, type Color, type Shape, type WorldVersion } from '../lexicon.js';
import { generateScene, type Scene } from '../scene.js';

/** "red star": colour then shape, as captions and questions name it. */
export type ObjectKind = `${Color} ${Shape}`;

export const objectKind = (o: { color: Color; shape: Shape }): ObjectKind => `${o.color} ${o.shape}`;

/** Every kind a training picture can hold (held-out pairs never appear in training). */
export const TRAINABLE_KINDS: readonly ObjectKind[] = COLORS.flatMap((c) => SHAPES.filter((s) => !isHeldoutCombo(s, c)).map((s): ObjectKind => `${c} ${s}`));

/** The distinct kinds in a picture. */
export function kindsIn(scene: Scene): Set<ObjectKind> {
  return new Set(scene.objects.map(objectKind));
}

export interface ObjectStats {
  /** Pictures counted. */
  pictures: number;
  /** Pictures holding each kind. */
  frequency: ReadonlyMap<ObjectKind, number>;
  /** co[a][b]: pictures holding both a and b (a ≠ b). */
  cooccurrence: ReadonlyMap<ObjectKind, ReadonlyMap<ObjectKind, number>>;
}

/** Pictures per statistic: enough that every trainable kind is counted hundreds of times. */
export const STATS_PICTURES = 4000;

const computed = new Map<string, ObjectStats>();

/** Frequencies and co-occurrences over `pictures` training scenes drawn from `seed` (computed
 *  once per arguments: POPE's three splits read the same statistics). */
export function objectStats(seed: number, version: WorldVersion, pictures = STATS_PICTURES): ObjectStats {
  const key = `${seed}/${version}/${pictures}`;
  if (!computed.has(key)) computed.set(key, countObjects(seed, version, pictures));
  return computed.get(key)!;
}

function countObjects(seed: number, version: WorldVersion, pictures: number): ObjectStats {
  const rng = new Rng(seed).fork('object-stats');
  const frequency = new Map<ObjectKind, number>(TRAINABLE_KINDS.map((k) => [k, 0]));
  const cooccurrence = new Map<ObjectKind, Map<ObjectKind, number>>(TRAINABLE_KINDS.map((k) => [k, new Map()]));
  for (let i = 0; i < pictures; i++) {
    const kinds = [...kindsIn(generateScene(rng, { split: 'train', version }))];
    for (const a of kinds) {
      frequency.set(a, frequency.get(a)! + 1);
      const row = cooccurrence.get(a)!;
      for (const b of kinds) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  return { pictures, frequency, cooccurrence };
}

/** Kinds by how often they appear, most frequent first (ties in TRAINABLE_KINDS order). */
export function byFrequency(stats: ObjectStats): ObjectKind[] {
  return [...TRAINABLE_KINDS].sort((a, b) => stats.frequency.get(b)! - stats.frequency.get(a)!);
}

/** How often `kind` shares a picture with any of `present`: the sum of its co-occurrence counts. */
export function cooccurrenceWith(stats: ObjectStats, kind: ObjectKind, present: Iterable<ObjectKind>): number {
  let n = 0;
  for (const p of present) n += stats.cooccurrence.get(p)?.get(kind) ?? 0;
  return n;
}
