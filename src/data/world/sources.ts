// The world as pretraining sources: infinite, deterministic streams of Documents, one per
// SourceKind. Document i of a stream depends only on (kind, seed, i), so a run can resume
// at any index without replaying the stream.
import { Rng } from '../../engine/rng.js';
import type { Document, SourceKind } from '../document.js';
import { captionsFor, denseCaption } from './captions.js';
import { captionText } from './formats.js';
import { interleavedDocument } from './interleaved.js';
import type { WorldVersion } from './lexicon.js';
import { renderScene } from './render.js';
import { generateScene, type Scene } from './scene.js';
import { textDocumentText } from './text.js';

export interface WorldSourceOptions {
  /** Side of rendered pictures in pixels (default 128). */
  imageSize?: number;
  /** World version (default 1, so old callers keep their bytes; run configs default to 2). */
  version?: WorldVersion;
}

export const WORLD_SOURCE_KINDS: readonly SourceKind[] = ['interleaved', 'caption', 'synthetic-caption', 'text'];

/** A document and the scene graphs of its pictures (for checks: tests prove splits hold on real streams). */
export interface WorldSample {
  document: Document;
  scenes: Scene[];
}

/** Document `index` of the `kind` stream for `seed`, with its scenes. */
export function worldSample(kind: SourceKind, seed: number, index: number, opts: WorldSourceOptions = {}): WorldSample {
  const size = opts.imageSize ?? 128;
  const version = opts.version ?? 1;
  const rng = new Rng(seed).fork(`train/${kind}/${index}`);
  const id = `world:${kind}:seed${seed}:${index}`;
  const pair = (scene: Scene, text: string): WorldSample => ({
    document: {
      source: kind,
      id,
      segments: [
        { kind: 'image', image: renderScene(scene, size) },
        { kind: 'text', text },
      ],
    },
    scenes: [scene],
  });
  switch (kind) {
    case 'caption': {
      // Half the pairs carry the "caption:" cue that captioning prompts end with, so
      // zero-shot captioning has seen its prompt; the rest are bare like web alt-text.
      const scene = generateScene(rng, { split: 'train', version });
      const caption = captionsFor(scene, rng)[0];
      return pair(scene, rng.next() < 0.5 ? captionText(caption) : caption);
    }
    case 'synthetic-caption': {
      const scene = generateScene(rng, { split: 'train', version });
      return pair(scene, denseCaption(scene));
    }
    case 'text':
      return { document: { source: kind, id, segments: [{ kind: 'text', text: textDocumentText(rng) }] }, scenes: [] };
    case 'interleaved': {
      const { segments, scenes } = interleavedDocument(rng, size, version);
      return { document: { source: kind, id, segments }, scenes };
    }
    default:
      throw new Error(`worldSource: unknown source kind "${String(kind)}"; expected one of ${WORLD_SOURCE_KINDS.join(', ')}`);
  }
}

/** Document `index` of the `kind` stream for `seed`. */
export function worldDocument(kind: SourceKind, seed: number, index: number, opts: WorldSourceOptions = {}): Document {
  return worldSample(kind, seed, index, opts).document;
}

/** The infinite stream of `kind` documents for `seed`, starting at document `start`. */
export function* worldSource(kind: SourceKind, seed: number, opts: WorldSourceOptions & { start?: number } = {}): Generator<Document, never> {
  for (let i = opts.start ?? 0; ; i++) yield worldDocument(kind, seed, i, opts);
}
