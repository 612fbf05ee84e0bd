// `mm1 pretrain` and `mm1 sft`: flags (or a JSON config file) -> validated config -> job.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { RECIPES, getRecipe } from '../../model/recipes.js';
import { deepMerge, parseRunConfig } from '../../train/config.js';
import { pretrain } from '../../train/pretrain.js';
import { parseSftConfig, sft } from '../../train/sft.js';
import { intFlag, numberFlag } from '../flags.js';

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`--config ${path}: file not found`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** "45:45:10" -> {interleaved, caption, text} */
function mixtureFlag(value: string): Record<string, number> {
  const parts = value.split(':').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new Error(`--mixture ${value}: expected interleaved:caption:text weights, e.g. 45:45:10`);
  return { interleaved: parts[0], caption: parts[1], text: parts[2] };
}

interface TrainFlags {
  steps?: string;
  batchSize?: string;
  seqLen?: string;
  maxImages?: string;
  lr?: string;
  warmup?: string;
  freeze?: string;
  checkpointEvery?: string;
  seed?: string;
}

/** Only the flags given; everything else comes from the config file or the recipe. */
function trainOverrides(f: TrainFlags): Record<string, unknown> {
  const t: Record<string, unknown> = {};
  if (f.steps) t.steps = intFlag('--steps', f.steps, 1);
  if (f.batchSize) t.batchSize = intFlag('--batch-size', f.batchSize, 1);
  if (f.seqLen) t.seqLen = intFlag('--seq-len', f.seqLen, 8);
  if (f.maxImages) t.maxImages = intFlag('--max-images', f.maxImages, 0);
  if (f.lr) t.lr = numberFlag('--lr', f.lr, 0);
  if (f.warmup) t.warmupSteps = intFlag('--warmup', f.warmup, 0);
  if (f.freeze) t.freeze = f.freeze.split(',').map((s) => s.trim()).filter(Boolean);
  if (f.checkpointEvery) t.checkpointEvery = intFlag('--checkpoint-every', f.checkpointEvery, 1);
  if (f.seed) t.seed = intFlag('--seed', f.seed, 0);
  return t;
}

function addTrainFlags(c: Command): Command {
  return c
    .option('--steps <n>', 'training steps')
    .option('--batch-size <n>', 'sequences per step (B)')
    .option('--seq-len <n>', 'tokens per sequence (T)')
    .option('--max-images <n>', 'image slots per sequence (N)')
    .option('--lr <x>', 'peak learning rate (warmup, then cosine decay to 10%)')
    .option('--warmup <n>', 'warmup steps')
    .option('--freeze <list>', 'components to keep fixed: vision,connector,llm')
    .option('--checkpoint-every <n>', 'steps between checkpoints')
    .option('--seed <n>', 'seed for initialisation and data order')
    .option('--out <dir>', 'run directory')
    .option('--resume', 'continue from the newest checkpoint in --out')
    .option('--stop-after <n>', 'stop (with a checkpoint) after this step')
    .option('-q, --quiet', 'no progress output');
}

function summary(label: string, r: { records: { step: number; loss: number }[]; modelDir: string | null; wallSeconds: number; interrupted: boolean }): string {
  const last = r.records.at(-1);
  const where = r.modelDir ? `model: ${r.modelDir}` : `stopped at step ${last?.step ?? 0}; run again with --resume to continue`;
  return `${label}: ${r.records.length} steps in ${r.wallSeconds.toFixed(0)} s, last loss ${last?.loss.toFixed(3) ?? '-'}; ${where}\n`;
}

export function register(program: Command): void {
  const recipes = Object.values(RECIPES).map((r) => `  ${r.name.padEnd(8)} ${r.description}`).join('\n');
  addTrainFlags(
    program
      .command('pretrain')
      .description('MM1-style multimodal pretraining on the synthetic world: interleaved documents, captions and text, mixed by weight.')
      .option('--recipe <name>', 'model recipe (see below)', 'tiny')
      .option('--config <file>', 'JSON run config {recipe, model, data, train}; flags override it')
      .option('--mixture <i:c:t>', 'interleaved:caption:text weights', '45:45:10')
      .option('--synthetic-captions <share>', 'share of the caption weight given to dense synthetic captions (0-1)')
      .option('--clip-steps <n>', 'first pretrain the image encoder CLIP-style on image–caption pairs for this many steps (MM1 starts from a CLIP encoder)'),
  )
    .addHelpText('after', `\nRecipes:\n${recipes}\n\nExample:\n  mm1 pretrain --recipe tiny --steps 600 --out runs/tiny\n  mm1 pretrain --out runs/tiny --resume          # continue after Ctrl-C\n  mm1 pretrain --mixture 50:50:0 --out runs/no-text\n\nWrites <out>/log.jsonl (every step), checkpoints/, run.json and, at the end, model/.`)
    .action(async (f: TrainFlags & { recipe: string; config?: string; mixture: string; syntheticCaptions?: string; clipSteps?: string; out?: string; resume?: boolean; stopAfter?: string; quiet?: boolean }) => {
      const file = readConfigFile(f.config);
      const recipeName = (f.config && file.recipe ? String(file.recipe) : f.recipe) ?? 'tiny';
      const recipe = getRecipe(recipeName);
      const mixture = { ...mixtureFlag(f.mixture), ...(f.syntheticCaptions ? { syntheticCaptionShare: numberFlag('--synthetic-captions', f.syntheticCaptions, 0) } : {}) };
      const raw = deepMerge(
        { recipe: recipeName, data: { mixture }, train: { ...recipe.train, steps: 600, checkpointEvery: 100 } },
        deepMerge(file, { recipe: recipeName, train: trainOverrides(f), ...(f.clipSteps ? { encoder: { clipSteps: intFlag('--clip-steps', f.clipSteps, 0) } } : {}) }),
      );
      const config = parseRunConfig(raw, f.config ?? 'pretrain flags');
      const r = await pretrain({ config, out: f.out ?? `runs/pretrain-${recipeName}`, resume: f.resume, quiet: f.quiet, stopAfter: f.stopAfter ? intFlag('--stop-after', f.stopAfter, 1) : undefined });
      process.stdout.write(summary('pretrain', r));
    });

  addTrainFlags(
    program
      .command('sft')
      .description('Supervised fine-tuning on conversations (loss on answers only), optionally at a higher resolution (position-embedding interpolation) and with sub-image decomposition.')
      .requiredOption('--model <dir>', 'pretrained model directory (e.g. runs/quickstart/model)')
      .option('--data <source>', "'world' (synthetic conversations) or a LLaVA-format JSON file", 'world')
      .option('--image-root <dir>', 'folder the LLaVA file\'s image paths are relative to')
      .option('--image-size <px>', 'encoder resolution for fine-tuning (position embeddings are interpolated)')
      .option('--sub-images <g>', 'sub-image grid: each image becomes g×g crops plus an overview', '0')
      .option('--config <file>', 'JSON sft config; flags override it'),
  )
    .addHelpText('after', `\nExample:\n  mm1 sft --model runs/quickstart/model --steps 300 --out runs/sft\n  mm1 sft --model runs/quickstart/model --image-size 64 --sub-images 2 --out runs/sft-hires\n  mm1 sft --model runs/quickstart/model --data llava.json --image-root images/ --out runs/sft-llava`)
    .action(async (f: TrainFlags & { model: string; data: string; imageRoot?: string; imageSize?: string; subImages: string; config?: string; out?: string; resume?: boolean; stopAfter?: string; quiet?: boolean }) => {
      const file = readConfigFile(f.config);
      const data = f.data === 'world' ? { source: 'world' } : { source: 'llava', path: f.data, imageRoot: f.imageRoot ?? '.' };
      const raw = deepMerge(
        { init: f.model, data, subImageGrid: intFlag('--sub-images', f.subImages, 0), train: { steps: 300, batchSize: 16, seqLen: 256, maxImages: 4, lr: 1e-3, warmupSteps: 20, checkpointEvery: 100, lrScale: { vision: 0.1 } } },
        deepMerge(file, { ...(f.imageSize ? { imageSize: intFlag('--image-size', f.imageSize, 8) } : {}), train: trainOverrides(f) }),
      );
      const config = parseSftConfig(raw, f.config ?? 'sft flags');
      const r = await sft({ config, out: f.out ?? 'runs/sft', resume: f.resume, quiet: f.quiet, stopAfter: f.stopAfter ? intFlag('--stop-after', f.stopAfter, 1) : undefined });
      process.stdout.write(summary('sft', r));
    });
}
