// Freezing vs a low learning rate for the image encoder during pretraining, through the
// pretrain job: a frozen encoder keeps its initial weights bit for bit; lrScale 0.1 moves
// it, by about a tenth of what the full rate does (Adam steps scale with the rate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePretrainConfig } from '../../src/train/config.js';
import { pretrain } from '../../src/train/pretrain.js';
import { readModelDir } from '../../src/model/io/model_dir.js';
import { Graph } from '../../src/engine/graph.js';
import { initParams, type ParamValues } from '../../src/engine/param_store.js';
import { visionEncoder } from '../../src/model/build/vit.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { worldTokenizer } from '../../src/train/world_data.js';

const micro = (train: Record<string, unknown>) =>
  parsePretrainConfig({
    recipe: 'tiny',
    model: {
      vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
      llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: 128 },
    },
    train: { steps: 3, batchSize: 2, seqLen: 96, maxImages: 2, lr: 3e-3, warmupSteps: 0, checkpointEvery: 1000, ...train },
  });

/** Encoder weights drawn with another seed than the run's, standing in for a CLIP stage's output. */
function visionStart(): ParamValues {
  const vision = resolveModelConfig(micro({}), worldTokenizer().vocabSize).vision;
  const g = new Graph('vision');
  visionEncoder(g, vision, g.input('pixels', [1, 3, vision.imageSize, vision.imageSize]));
  return initParams(g, 7);
}

async function visionWeights(dir: string, train: Record<string, unknown>): Promise<Map<string, Float32Array>> {
  const r = await pretrain({ config: micro(train), out: dir, quiet: true, visionInit: visionStart() });
  const { weights } = await readModelDir(r.modelDir!);
  return new Map([...weights].filter(([k]) => k.startsWith('vision.')).map(([k, v]) => [k, v.data as Float32Array]));
}

/** Largest absolute change of any vision weight between two runs' final weights. */
function maxChange(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let m = 0;
  for (const [k, x] of a) {
    const y = b.get(k)!;
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

test('pretrain: a frozen encoder keeps its weights; lrScale 0.1 moves them about a tenth as far as the full rate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-encoder-lr-'));
  try {
    const frozen = await visionWeights(join(dir, 'frozen'), { freeze: ['vision'] });
    const low = await visionWeights(join(dir, 'low'), { lrScale: { vision: 0.1 } });
    const full = await visionWeights(join(dir, 'full'), {});
    const start = new Map([...visionStart()].map(([k, v]) => [k, v.data as Float32Array]));
    assert.equal(maxChange(frozen, start), 0, 'a frozen encoder ends with the weights it started from');
    const lowMove = maxChange(low, frozen);
    const fullMove = maxChange(full, frozen);
    assert.ok(lowMove > 0, 'an encoder with lrScale 0.1 must train');
    // Three Adam steps at lr 3e-3 move a weight by at most ~3 × 3e-3 (plus weight decay).
    assert.ok(fullMove > 3e-3 && fullMove < 0.03, `full-rate move ${fullMove}`);
    assert.ok(lowMove < 0.2 * fullMove && lowMove > 0.05 * fullMove, `low-rate move ${lowMove} should be about a tenth of ${fullMove}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
