// Evaluation throughput: items/s of world VQA (world-vqav2) and captioning (world-coco) at
// 0 and 8 shots, through the same runEval path `mm1 eval` takes, on a tiny-recipe model with
// fresh weights (untrained, so it never stops early: every generation runs to the task's
// token budget, the slowest case). Once with pictures rendered at 128 px (the default) and
// once at the encoder's side (what the quick start trains on, data.renderSize), side by side.
// Part of `npm run bench`; alone: node --import tsx bench/eval.ts [items]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEval } from '../src/eval/runner.js';
import { initParams } from '../src/engine/param_store.js';
import { loadModel } from '../src/model/infer/load.js';
import { saveModelDir } from '../src/model/io/model_dir.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { recipeModel } from '../src/model/build/recipes.js';
import { worldTokenizer } from '../src/train/world_data.js';

const TASKS = ['world-vqav2', 'world-coco'];
const SHOTS = [0, 8];

export async function benchEval(items = 32): Promise<Record<string, unknown>[]> {
  const tokenizer = worldTokenizer();
  const cfg = recipeModel('tiny', tokenizer.vocabSize);
  const dir = mkdtempSync(join(tmpdir(), 'mm1-bench-eval-'));
  const results: Record<string, unknown>[] = [];
  try {
    const weights = initParams(buildMultimodalTraining(cfg, { B: 1, T: 16, N: 1 }).g, 1);
    await saveModelDir(join(dir, 'model'), { config: cfg, weights, tokenizer });
    const model = await loadModel(join(dir, 'model'));
    try {
      // A first pass compiles every graph shape both measured passes use (prompt lengths do
      // not depend on the picture size), so neither pass pays for compiling.
      await runEval(model, { tasks: TASKS, shots: SHOTS, limit: items, renderSize: cfg.vision.imageSize, onWarning: () => {} });
      for (const renderSize of [128, cfg.vision.imageSize]) {
        for (const task of TASKS) {
          for (const k of SHOTS) {
            const t0 = performance.now();
            const r = await runEval(model, { tasks: [task], shots: [k], limit: items, renderSize, onWarning: () => {} });
            const seconds = (performance.now() - t0) / 1000;
            results.push({ task, shots: k, renderSize, items: r.results[0].n, items_per_s: +(r.results[0].n / seconds).toFixed(2) });
          }
        }
      }
    } finally {
      await model.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEval(Number(process.argv[2] ?? 32))) console.log(JSON.stringify(r));
}
