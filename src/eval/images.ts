// Images of evaluation prompts: in memory already (world) or decoded from disk on first use.
// A small least-recently-used cache, because few-shot prompts reuse the same pool images
// across neighbouring queries while a whole public split would not fit in memory.
import type { RgbImage } from '../data/document.js';
import { readImageFile } from '../data/image.js';
import type { ImageInput } from './items.js';

export class ImageCache {
  private readonly cache = new Map<string, Promise<RgbImage>>();

  constructor(private readonly capacity = 256) {}

  get(input: ImageInput): Promise<RgbImage> {
    if (!('path' in input)) return Promise.resolve(input);
    const hit = this.cache.get(input.path);
    if (hit) {
      this.cache.delete(input.path); // re-insert: Map order is recency order
      this.cache.set(input.path, hit);
      return hit;
    }
    const loading = readImageFile(input.path);
    loading.catch(() => this.cache.delete(input.path)); // a failed read is retried, not cached
    this.cache.set(input.path, loading);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return loading;
  }
}
