// Deterministic random documents for packing tests. Each image is a 1×1 pixel whose red
// value is a unique tag, and the test ImageSlots writes that tag into the batch tensor, so
// a test can tell which image landed in which slot.
import type { Document, RgbImage } from '../../src/data/document.js';
import type { ImageSlots } from '../../src/data/subimage.js';
import { Rng } from '../../src/engine/rng.js';

export const WORDS = ['a', 'red', 'blue', 'cube', 'sphere', 'left', 'of', 'the', 'small', 'big', 'is', 'on'];

export function taggedImage(tag: number): RgbImage {
  return { width: 1, height: 1, data: Uint8Array.from([tag, 0, 0]) };
}

/** Writes each crop's floats as the image tag (crop c gets tag + c / 10). */
export function tagSlots(grid = 0, side = 2): ImageSlots {
  const crops = grid === 0 ? 1 : 1 + grid * grid;
  const per = 3 * side * side;
  return {
    grid,
    shape: [3, side, side],
    write: (image, out, offset) => {
      for (let c = 0; c < crops; c++) out.fill(image.data[0] + c / 10, offset + c * per, offset + (c + 1) * per);
    },
  };
}

export function words(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => rng.pick(WORDS)).join(' ');
}

/** `count` documents with 0–3 images and 0–25 words in random order; tags 1, 2, … */
export function randomDocs(seed: number, count: number, maxWords = 25): Document[] {
  const rng = new Rng(seed);
  let tag = 1;
  return Array.from({ length: count }, (_, d) => {
    const segments: Document['segments'] = [];
    const parts = 1 + rng.int(5);
    for (let p = 0; p < parts; p++) {
      if (rng.next() < 0.35) segments.push({ kind: 'image', image: taggedImage(tag++ % 250) });
      else segments.push({ kind: 'text', text: words(rng, 1 + rng.int(maxWords)) });
    }
    return { source: 'interleaved' as const, id: `rand:${seed}:${d}`, segments };
  });
}
