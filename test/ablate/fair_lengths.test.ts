// The fair-length rules, checked against the real packer and evaluation on world data: with each
// variant's own sequence length (studies/base.ts trainingSeqLen), 4-, 16- and 64-token images all
// fill their 8 image slots alike, where a fixed 256-token sequence gave 64-token images under
// half as many; and with contextFor's context, 8-shot prompts of 64-token images hold all 8 shots.
// Slow (renders world pictures, trains two micro models): runs with MM1_SLOW=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunCache } from '../../src/ablate/cache.js';
import { mm1Runner } from '../../src/jobs/ablation_runner.js';
import { BatchStream } from '../../src/data/batches.js';
import { clipImageSlots } from '../../src/data/subimage.js';
import { contextFor, IMAGES_PER_SEQUENCE, trainingSeqLen } from '../../src/ablate/studies/base.js';
import { DataConfigSchema } from '../../src/train/config.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';

async function imagesPerRow(tokensPerCrop: number, T: number): Promise<number> {
  const data = DataConfigSchema.parse({ mixture: { interleaved: 45, caption: 45, text: 10 } });
  const stream = new BatchStream(worldTokenizer(), worldSources(data), {
    B: 16,
    T,
    N: IMAGES_PER_SEQUENCE,
    tokensPerCrop,
    images: clipImageSlots({ resolution: 64, grid: 0 }),
    seed: 0,
  });
  for (let i = 0; i < 4; i++) await stream.next();
  return stream.stats.images / stream.stats.rows;
}

test("each variant's sequence length packs the same number of images per sequence", { skip: !process.env.MM1_SLOW && 'set MM1_SLOW=1' }, async () => {
  const fair = await Promise.all([4, 16, 64].map((t) => imagesPerRow(t, trainingSeqLen(IMAGES_PER_SEQUENCE, t))));
  // 10% of rows are text-only, so the ceiling is ~7.2 of 8 slots.
  assert.ok(Math.max(...fair) - Math.min(...fair) < 0.3 && Math.min(...fair) > 6.5, `images per row: ${fair.join(', ')}`);
  const fixed = await imagesPerRow(64, 256);
  assert.ok(fixed < Math.min(...fair) / 2, `64-token images at a fixed 256 tokens: ${fixed} per row`);
});

test(
  '64-token images: 8-shot prompts hold all 8 shots in the context contextFor gives, 5 in the old 512',
  { skip: !process.env.MM1_SLOW && 'set MM1_SLOW=1' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm1-fit-'));
    try {
      const cache = new RunCache(dir);
      const shotsUsed = async (context: number) => {
        const config = {
          seed: 0,
          model: {
            vision: { imageSize: 64, patchSize: 8, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
            connector: { kind: 'avgpool', tokens: 64 },
            llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: context },
          },
          encoder: { clipSteps: 2 },
          train: { steps: 3, seqLen: Math.min(context, trainingSeqLen(IMAGES_PER_SEQUENCE, 64)), maxImages: IMAGES_PER_SEQUENCE },
          eval: { shots: [8], examplesPerTask: 4, textExamples: 2, seed: 0 },
        };
        return (await mm1Runner(config, join(dir, String(context)), { log: () => {}, sharedDir: (s, i) => cache.sharedDir(s, i, 'x') })).shotsUsed;
      };
      assert.equal(await shotsUsed(contextFor(64)), undefined, 'every prompt held 8 shots');
      assert.deepEqual((await shotsUsed(512))?.['vqa/accuracy'], { '8': 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
