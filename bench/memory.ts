// Peak memory (RSS) of training with each recipe's own batch shape: a fresh process builds the
// training graph, starts the ONNX Runtime session and runs a few steps of synthetic batches,
// then reports its peak resident set (the OS's ru_maxrss). One process per recipe, so
// one recipe's arena does not count towards the next one's figure.
// Part of `npm run bench`; alone: node --import tsx bench/memory.ts [recipe ...]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initParams } from '../src/engine/param_store.js';
import { Rng } from '../src/engine/rng.js';
import { TrainStep } from '../src/engine/train_step.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { countGraphParams, getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { worldTokenizer } from '../src/train/world_data.js';
import { benchBatch } from './model.js';

export const MEMORY_RECIPES = ['tiny', 'bench', 'small'];
const STEPS = 3;

/** Runs in the child: the recipe's training step, STEPS times; prints one JSON line. */
async function trainSteps(name: string): Promise<void> {
  const recipe = getRecipe(name);
  const cfg = recipeModel(name, recipe.vocabSize ?? worldTokenizer().vocabSize);
  const { batchSize: B, seqLen: T, maxImages: N } = recipe.train;
  const rssBefore = process.memoryUsage().rss;
  const m = buildMultimodalTraining(cfg, { B, T, N });
  const ts = await TrainStep.create(m.g, m.loss, initParams(m.g, 1), { optimizer: { kind: 'adamw', weightDecay: 0.1 }, clipNorm: 1 });
  const feeds = m.feeds(benchBatch(cfg, B, T, new Rng(2), N));
  for (let i = 0; i < STEPS; i++) await ts.run(feeds, 1e-4);
  const params = countGraphParams(m.g).total; // total already sums the components
  await ts.release();
  const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
  console.log(
    JSON.stringify({ recipe: name, B, T, N, params, steps: STEPS, peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024), rss_at_start_mb: mb(rssBefore) }),
  );
}

/** Peak RSS per recipe, each measured in its own process. */
export function benchMemory(recipes = MEMORY_RECIPES): Record<string, unknown>[] {
  return recipes.map((name) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', name], { encoding: 'utf8', timeout: 1_800_000 });
    if (r.status !== 0) return { recipe: name, error: (r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' ') };
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await trainSteps(args[1]);
  else for (const r of benchMemory(args.length ? args : undefined)) console.log(JSON.stringify(r));
}
