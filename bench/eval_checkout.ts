// Evaluation items/s through the code of the checkout at ROOT: an untrained tiny model (fresh
// weights, so every answer runs to its token budget), world-vqav2 and world-coco at 0 and 8
// shots, N items each, pictures at 128 px (what the ablation runs draw). A first pass compiles
// every graph shape. Run it on two checkouts in turn (e.g. under a whole-process A/B timer) to
// get evaluation's before/after ratio.
// Alone: node --import tsx bench/eval_checkout.ts <checkout root> [items]   (run from ROOT)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFrom } from './checkout.js';

type RunEval = (model: unknown, o: Record<string, unknown>) => Promise<{ results: { n: number; metric: string; metrics: Record<string, number> }[] }>;

const [root, itemsArg] = process.argv.slice(2);
if (!root) throw new Error('usage: node --import tsx bench/eval_checkout.ts <checkout root> [items]');
const items = Number(itemsArg ?? 32);
const { runEval } = await importFrom<{ runEval: RunEval }>(root, 'src/eval/runner.ts');
const { initParams } = await importFrom<{ initParams: (g: unknown, seed: number) => unknown }>(root, 'src/engine/param_store.ts');
const { loadModel } = await importFrom<{ loadModel: (dir: string) => Promise<{ release(): Promise<void> }> }>(
  root,
  'src/model/infer/load.ts',
  'src/model/load.ts',
);
const { saveModelDir } = await importFrom<{ saveModelDir: (dir: string, o: Record<string, unknown>) => Promise<void> }>(
  root,
  'src/model/io/model_dir.ts',
  'src/model/model_dir.ts',
);
const { buildMultimodalTraining } = await importFrom<{ buildMultimodalTraining: (c: unknown, s: Record<string, number>) => { g: unknown } }>(
  root,
  'src/model/build/multimodal.ts',
  'src/model/multimodal.ts',
);
const { recipeModel } = await importFrom<{ recipeModel: (name: string, vocab: number) => unknown }>(root, 'src/model/build/recipes.ts', 'src/model/recipes.ts');
const { worldTokenizer } = await importFrom<{ worldTokenizer: (v: number) => { vocabSize: number } }>(root, 'src/train/world_data.ts');

const tokenizer = worldTokenizer(2);
const cfg = recipeModel('tiny', tokenizer.vocabSize);
const dir = mkdtempSync(join(tmpdir(), 'mm1-eval-checkout-'));
try {
  await saveModelDir(join(dir, 'model'), { config: cfg, weights: initParams(buildMultimodalTraining(cfg, { B: 1, T: 16, N: 1 }).g, 1), tokenizer });
  const model = await loadModel(join(dir, 'model'));
  const tasks = ['world-vqav2', 'world-coco'];
  const common = { seed: 0, worldVersion: 2, onWarning: () => {} };
  for (const task of tasks) await runEval(model, { ...common, tasks: [task], shots: [0, 8], limit: 2 });
  const out: Record<string, number | string> = { root };
  for (const task of tasks)
    for (const k of [0, 8]) {
      const t0 = performance.now();
      const r = (await runEval(model, { ...common, tasks: [task], shots: [k], limit: items })).results[0];
      out[`${task} ${k}-shot items/s`] = +(r.n / ((performance.now() - t0) / 1000)).toFixed(2);
      out[`${task} ${k}-shot score`] = r.metrics[r.metric];
    }
  await model.release();
  console.log(JSON.stringify(out));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
