// A real but micro mm1 model directory, trained for a few steps, for tests that need the
// whole path (loadModel, the CLI, the server) rather than a stand-in model.
import { join } from 'node:path';
import { parsePretrainConfig, type PretrainConfig } from '../../src/train/config.js';
import { pretrain } from '../../src/train/pretrain.js';

/** The micro model's run config: the tiny recipe shrunk to train in seconds. */
export function microRunConfig(steps: number, train: Record<string, unknown> = {}): PretrainConfig {
  return parsePretrainConfig({
    recipe: 'tiny',
    model: {
      vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
      llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: 128 },
    },
    train: { steps, batchSize: 4, seqLen: 96, maxImages: 3, lr: 3e-3, warmupSteps: 1, checkpointEvery: 1000, ...train },
  });
}

/** Pretrain the micro model under `parent`/micro; returns its model directory. */
export async function microModelDir(parent: string, steps = 2): Promise<string> {
  const r = await pretrain({ config: microRunConfig(steps), out: join(parent, 'micro'), quiet: true });
  if (!r.modelDir) throw new Error('microModelDir: pretraining ended without a model directory');
  return r.modelDir;
}
