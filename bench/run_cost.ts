// The cost of one default-scale ablation base run through the code of the checkout at ROOT:
// the base run's config (studies/base.ts at default scale, seed 0), its CLIP stage, its
// pretraining and an evaluation of the six world tasks every version since #13 began has
// (300 items per image task, 400 per text task, 0/4/8 shots), with each stage's wall seconds.
// Run it on two checkouts at once (the older one from `git archive <commit>`, node_modules
// linked in) so machine load hits both alike; SCALE < 1 shortens every stage by that factor.
// Alone: SCALE=1 [RENDER_SIZE=64] node --import tsx bench/run_cost.ts <checkout root> <out dir>   (run from ROOT)
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { importFrom } from './checkout.js';

interface EvalResult {
  task: string;
  shots: number;
  n: number;
  metric: string;
  metrics: Record<string, number>;
}
type RunEval = (model: unknown, o: Record<string, unknown>) => Promise<{ results: EvalResult[] }>;

const [root, out] = process.argv.slice(2);
if (!root || !out) throw new Error('usage: node --import tsx bench/run_cost.ts <checkout root> <out dir>');
const scale = Number(process.env.SCALE ?? 1);
// RENDER_SIZE=64: pictures drawn at the encoder's side, as the studies would if they stopped
// drawing at 128 px (their default; checkouts before renderSize existed ignore the field).
const renderSize = process.env.RENDER_SIZE ? { renderSize: Number(process.env.RENDER_SIZE) } : {};
const { parsePretrainConfig } = await importFrom<{ parsePretrainConfig: (c: unknown, label: string) => unknown }>(root, 'src/train/config.ts');
const { pretrain } = await importFrom<{ pretrain: (o: Record<string, unknown>) => Promise<{ modelDir: string; records: { loss: number }[] }> }>(
  root,
  'src/train/pretrain.ts',
);
const { runEval } = await importFrom<{ runEval: RunEval }>(root, 'src/eval/runner.ts');
const { loadModel } = await importFrom<{ loadModel: (dir: string) => Promise<{ release(): Promise<void> }> }>(
  root,
  'src/model/infer/load.ts',
  'src/model/load.ts',
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The base run at default scale as jobs/ablation_runner.ts builds it (written out, so an older
// checkout trains exactly this config rather than its own defaults).
const run = parsePretrainConfig(
  {
    recipe: 'tiny',
    model: {
      vision: { imageSize: 64, patchSize: 8, width: 64, depth: 3, heads: 4, mlpHidden: 256 },
      connector: { kind: 'cabstractor', tokens: 16 },
      llm: { maxPositions: 512 },
    },
    data: { mixture: { interleaved: 45, caption: 45, text: 10, syntheticCaptionShare: 0 }, seed: 0, version: 2, ...renderSize },
    encoder: { clipSteps: Math.round(800 * scale) },
    train: {
      steps: Math.round(1000 * scale),
      batchSize: 16,
      seqLen: 320,
      maxImages: 8,
      lr: 3e-3,
      warmupSteps: 30,
      checkpointEvery: 100,
      seed: 0,
      freeze: ['vision'],
      weightDecay: 0.1,
      clipNorm: 1,
    },
  },
  'run cost',
);
const t0 = Date.now();
let clipDone = 0;
// pretrain() runs the CLIP stage first; its weights file appearing marks the stage's end.
const poll = setInterval(() => {
  if (!clipDone && existsSync(join(out, 'clip', 'vision.safetensors'))) clipDone = Date.now();
}, 500);
const pre = await pretrain({ config: run, out, resume: true, quiet: true });
clearInterval(poll);
const t1 = Date.now();
const model = await loadModel(pre.modelDir);
const common = { shots: [0, 4, 8], seed: 0, worldVersion: 2, onWarning: () => {} };
const image = await runEval(model, {
  ...common,
  tasks: ['world-coco', 'world-vqav2', 'world-textvqa', 'world-gqa'],
  limit: Math.round(300 * scale),
  outDir: join(out, 'eval', 'image'),
});
const text = await runEval(model, { ...common, tasks: ['world-mc', 'world-cloze'], limit: Math.round(400 * scale), outDir: join(out, 'eval', 'text') });
await model.release();
const t2 = Date.now();
const scores = [...image.results, ...text.results].map((r) => `${r.task}/${r.shots}: ${r.metrics[r.metric].toFixed(1)} (n ${r.n})`);
const s = (ms: number) => +(ms / 1000).toFixed(1);
console.log(
  JSON.stringify({
    root,
    scale,
    clip_s: s(clipDone - t0),
    pretrain_s: s(t1 - clipDone),
    eval_s: s(t2 - t1),
    total_s: s(t2 - t0),
    final_loss: pre.records.at(-1)?.loss,
    scores,
  }),
);
