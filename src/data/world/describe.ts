// Small pieces of English shared by captions, questions and documents: articles, number
// words, lists, and referring expressions that pick out exactly one object of a scene.
import type { Rng } from '../../engine/rng.js';
import { CELL_NAMES, CELL_PHRASES, NUMBER_WORDS, SHAPE_PLURALS, type Color, type Shape } from './lexicon.js';
import type { Scene, SceneObject } from './scene.js';

export function article(word: string): 'a' | 'an' {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** "a red star", "an orange ring"; prefix words are joined before the noun. */
export function withArticle(words: string[]): string {
  const phrase = words.filter(Boolean).join(' ');
  return `${article(phrase)} ${phrase}`;
}

export function numberWord(n: number): string {
  const w = NUMBER_WORDS[n];
  if (w === undefined) throw new Error(`numberWord: the world counts 0..10, got ${n}`);
  return w;
}

/** "a red star" for one, "two red stars" for more. */
export function countedPhrase(n: number, adjectives: string[], shape: Shape | 'shape'): string {
  if (n === 1) return withArticle([...adjectives, shape]);
  const noun = shape === 'shape' ? 'shapes' : SHAPE_PLURALS[shape];
  return [numberWord(n), ...adjectives, noun].filter(Boolean).join(' ');
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "a large red star": the full noun phrase of one object. */
export function fullPhrase(o: SceneObject): string {
  return withArticle([o.size, o.color, o.shape]);
}

export function cellName(cell: number): string {
  return CELL_NAMES[cell];
}
export function cellPhrase(cell: number): string {
  return CELL_PHRASES[cell];
}

/** Objects that match every given attribute. */
export function matching(scene: Scene, attrs: { shape?: Shape; color?: Color; size?: string }): SceneObject[] {
  return scene.objects.filter(
    (o) =>
      (attrs.shape === undefined || o.shape === attrs.shape) &&
      (attrs.color === undefined || o.color === attrs.color) &&
      (attrs.size === undefined || o.size === attrs.size),
  );
}

/** Which attributes a referring expression may use. */
export type RefAttribute = 'shape' | 'color' | 'size' | 'cell';

/**
 * All phrases ("the star", "the red shape", "the shape in the top left", ...) that pick out
 * `obj` and nothing else in the scene, using only the allowed attributes.
 */
export function referringExpressions(scene: Scene, obj: SceneObject, allowed: RefAttribute[] = ['shape', 'color', 'size', 'cell']): string[] {
  const can = (a: RefAttribute) => allowed.includes(a);
  const out: string[] = [];
  const combos: { shape?: boolean; color?: boolean; size?: boolean }[] = [
    { shape: true },
    { color: true },
    { color: true, shape: true },
    { size: true, shape: true },
    { size: true, color: true },
    { size: true, color: true, shape: true },
  ];
  for (const c of combos) {
    if ((c.shape && !can('shape')) || (c.color && !can('color')) || (c.size && !can('size'))) continue;
    const attrs = {
      shape: c.shape ? obj.shape : undefined,
      color: c.color ? obj.color : undefined,
      size: c.size ? obj.size : undefined,
    };
    if (matching(scene, attrs).length !== 1) continue;
    out.push(['the', c.size ? obj.size : '', c.color ? obj.color : '', c.shape ? obj.shape : 'shape'].filter(Boolean).join(' '));
  }
  if (can('cell')) out.push(`the shape ${cellPhrase(obj.cell)}`);
  return out;
}

/** One referring expression at random, or null when none exists with these attributes. */
export function pickReference(rng: Rng, scene: Scene, obj: SceneObject, allowed?: RefAttribute[]): string | null {
  const refs = referringExpressions(scene, obj, allowed);
  return refs.length > 0 ? rng.pick(refs) : null;
}

/** Groups objects by colour+shape: [[count, color, shape], ...] in first-seen order. */
export function groupByKind(objects: SceneObject[]): [number, Color, Shape][] {
  const groups: [number, Color, Shape][] = [];
  for (const o of objects) {
    const g = groups.find(([, c, s]) => c === o.color && s === o.shape);
    if (g) g[0]++;
    else groups.push([1, o.color, o.shape]);
  }
  return groups;
}

/** Objects in reading order (top to bottom, left to right), as people list them. */
export function readingOrder(scene: Scene): SceneObject[] {
  return [...scene.objects].sort((a, b) => a.cell - b.cell);
}
