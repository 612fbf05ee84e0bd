// The fair-length rule, checked against the real packer on world data: with each variant's own
// sequence length (studies/base.ts trainingSeqLen), 4-, 16- and 64-token images all fill their 8
// image slots alike, where a fixed 256-token sequence gave 64-token images under half as many.
// Slow (renders world pictures for a few hundred rows): runs with MM1_SLOW=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchStream } from '../../src/data/batches.js';
import { clipImageSlots } from '../../src/data/subimage.js';
import { IMAGES_PER_SEQUENCE, trainingSeqLen } from '../../src/ablate/studies/base.js';
import { DataConfigSchema } from '../../src/train/config.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';

async function imagesPerRow(tokensPerCrop: number, T: number): Promise<number> {
  const data = DataConfigSchema.parse({ mixture: { interleaved: 45, caption: 45, text: 10 } });
  const stream = new BatchStream(worldTokenizer(), worldSources(data), { B: 16, T, N: IMAGES_PER_SEQUENCE, tokensPerCrop, images: clipImageSlots({ resolution: 64, grid: 0 }), seed: 0 });
  for (let i = 0; i < 4; i++) await stream.next();
  return stream.stats.images / stream.stats.rows;
}

test('each variant\'s sequence length packs the same number of images per sequence', { skip: !process.env.MM1_SLOW && 'set MM1_SLOW=1' }, async () => {
  const fair = await Promise.all([4, 16, 64].map((t) => imagesPerRow(t, trainingSeqLen(IMAGES_PER_SEQUENCE, t))));
  // 10% of rows are text-only, so the ceiling is ~7.2 of 8 slots.
  assert.ok(Math.max(...fair) - Math.min(...fair) < 0.3 && Math.min(...fair) > 6.5, `images per row: ${fair.join(', ')}`);
  const fixed = await imagesPerRow(64, 256);
  assert.ok(fixed < Math.min(...fair) / 2, `64-token images at a fixed 256 tokens: ${fixed} per row`);
});
