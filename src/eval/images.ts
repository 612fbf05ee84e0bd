// Images of evaluation prompts: in memory already (world) or decoded from disk on first use.
// A small least-recently-used cache, because few-shot prompts reuse the same pool images
// across neighbouring queries while a whole public split would not fit in memory.
import type { RgbImage } from '../data/document.js';
import { decodeImage, readImageFile } from '../data/image.js';
import type { ImageInput } from './items.js';

export class ImageCache {
  private readonly cache = new Map<string, Promise<RgbImage>>();

  constructor(private readonly capacity = 256) {}

  get(input: ImageInput): Promise<RgbImage> {
    if (!('path' in input) && !('key' in input)) return Promise.resolve(input);
    const key = 'path' in input ? input.path : input.key;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // re-insert: Map order is recency order
      this.cache.set(key, hit);
      return hit;
    }
    const loading = 'path' in input ? readImageFile(input.path) : decodeImage(input.bytes, input.key);
    loading.catch(() => this.cache.delete(key)); // a failed read is retried, not cached
    this.cache.set(key, loading);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return loading;
  }
}
