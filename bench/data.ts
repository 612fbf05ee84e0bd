// Data-pipeline throughput: batches/s of the default MM1 mixture (45/45/10) through
// tokenisation, packing and CLIP preprocessing. The document sources are passed in, so the
// synthetic world can replace the toy generator below once it lands.
// Part of `npm run bench` (bench/run.ts); alone: node --import tsx bench/data.ts [batches]
import { BatchStream, skippingSource, type BatchStreamConfig, type DataSource } from '../src/data/batches.js';
import type { Document, RgbImage } from '../src/data/document.js';
import { pretrainWeights } from '../src/data/mixture.js';
import { clipImageSlots } from '../src/data/subimage.js';
import type { Mm1Tokenizer } from '../src/data/tokenizer.js';
import { wordTokenizer } from '../src/data/word_tokenizer.js';
import { Rng } from '../src/engine/rng.js';

export async function benchDataPipeline(tokenizer: Mm1Tokenizer, sources: DataSource[], config: BatchStreamConfig, batches: number) {
  const stream = new BatchStream(tokenizer, sources, config);
  await stream.next(); // warm-up (JIT)
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) await stream.next();
  const seconds = (performance.now() - t0) / 1000;
  const s = stream.stats;
  return {
    batchesPerSec: Number((batches / seconds).toFixed(2)),
    tokensPerSec: Math.round((batches * config.B * config.T) / seconds),
    paddingFraction: Number((s.paddingTokens / (s.tokens + s.paddingTokens)).toFixed(4)),
    imagesPerRow: Number((s.images / s.rows).toFixed(2)),
    splits: s.splits,
    imageDeferrals: s.imageDeferrals,
  };
}

// --- a small deterministic stand-in for the synthetic world ---
const WORDS = ['a', 'the', 'red', 'green', 'blue', 'small', 'large', 'cube', 'sphere', 'cone', 'left', 'right', 'of', 'above', 'below', 'is', 'and', 'there'];

function toyImage(rng: Rng, side = 128): RgbImage {
  const data = new Uint8Array(side * side * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return { width: side, height: side, data };
}

function toySources(seed: number): DataSource[] {
  const rng = new Rng(seed);
  const pool = Array.from({ length: 32 }, () => toyImage(rng)); // reused so the bench times the pipeline, not image synthesis
  const sentence = (r: Rng, n: number) => Array.from({ length: n }, () => r.pick(WORDS)).join(' ') + '.';
  function* docs(kind: 'interleaved' | 'caption' | 'text', epoch: number): Generator<Document> {
    const r = new Rng(seed + 1000 * epoch).fork(kind);
    for (let i = 0; i < 5000; i++) {
      const segments: Document['segments'] = [];
      if (kind === 'caption') segments.push({ kind: 'image', image: r.pick(pool) }, { kind: 'text', text: sentence(r, 8 + r.int(12)) });
      if (kind === 'text') segments.push({ kind: 'text', text: sentence(r, 100 + r.int(300)) });
      if (kind === 'interleaved') {
        for (let p = 0; p < 2 + r.int(6); p++) {
          segments.push(r.next() < 0.4 ? { kind: 'image', image: r.pick(pool) } : { kind: 'text', text: sentence(r, 20 + r.int(80)) });
        }
      }
      yield { source: kind, id: `toy:${kind}:${epoch}:${i}`, segments };
    }
  }
  const weights = pretrainWeights();
  return (['interleaved', 'caption', 'text'] as const).map((kind) => skippingSource(kind, weights[kind]!, (epoch) => docs(kind, epoch)));
}

/** One result per configuration: no sub-images, and a 2×2 grid plus overview. */
export async function benchData(batches = 20): Promise<Record<string, unknown>[]> {
  const tokenizer = wordTokenizer(WORDS);
  const results: Record<string, unknown>[] = [];
  for (const grid of [0, 2]) {
    const config: BatchStreamConfig = { B: 8, T: 512, N: 8, tokensPerCrop: 16, images: clipImageSlots({ resolution: 64, grid }), seed: 1 };
    const result = await benchDataPipeline(tokenizer, toySources(1), config, batches);
    results.push({ B: 8, T: 512, N: 8, tokensPerCrop: 16, resolution: 64, grid, imageSide: 128, batches, ...result });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchData(Number(process.argv[2] ?? 20))) console.log(JSON.stringify(r));
}
