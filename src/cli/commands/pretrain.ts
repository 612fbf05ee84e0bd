// `mm1 pretrain` and `mm1 sft`: flags (or a JSON config file) -> validated config -> job.
import { InvalidArgumentError, type Command } from 'commander';
import { MM1_MIX } from '../../data/mixture.js';
import { RECIPES, getRecipe } from '../../model/build/recipes.js';
import { deepMerge } from '../../schema/deep_merge.js';
import { DEFAULT_MAX_SKIP_RATE, parsePretrainConfig, type Mixture, type PretrainConfig } from '../../train/config.js';
import { signalExitCode } from '../../train/interrupt.js';
import { pretrain } from '../../train/pretrain.js';
import { ClaimedRunDir } from '../../train/run_dir.js';
import { PRETRAIN_DEFAULTS, SFT_TRAIN_DEFAULTS } from '../../train/presets.js';
import { parseSftConfig, sft, type SftConfig } from '../../train/sft.js';
import { givenOnly, readConfigFile } from '../config_file.js';
import { addConnectorFlags } from './hf.js';
import { numberIn, wholeNumber } from '../flags.js';
import { withDevice } from '../device_flag.js';

const MM1_MIX_TEXT = `${MM1_MIX.interleaved}:${MM1_MIX.caption}:${MM1_MIX.text}`;

type MixtureWeights = Pick<Mixture, 'interleaved' | 'caption' | 'text'>;

/** "45:45:10" -> {interleaved, caption, text} */
function mixtureWeights(value: string): MixtureWeights {
  const parts = value.split(':').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new InvalidArgumentError(`Expected interleaved:caption:text weights ≥ 0, e.g. ${MM1_MIX_TEXT}.`);
  return { interleaved: parts[0], caption: parts[1], text: parts[2] };
}

interface TrainFlags {
  steps?: number;
  batchSize?: number;
  seqLen?: number;
  maxImages?: number;
  lr?: number;
  warmup?: number;
  freeze?: string;
  checkpointEvery?: number;
  seed?: number;
}

interface JobFlags extends TrainFlags {
  config?: string;
  out?: string;
  resume?: boolean;
  stopAfter?: number;
  quiet?: boolean;
}

export interface PretrainFlags extends JobFlags {
  recipe?: string;
  vision?: string;
  llm?: string;
  connector?: string;
  imageTokens?: number;
  mixture?: MixtureWeights;
  syntheticCaptions?: number;
  clipSteps?: number;
  webdataset?: string;
  obelicsParquet?: string;
  obelicsJsonl?: string;
  textJsonl?: string;
  imageRoot?: string;
  maxSkipRate?: number;
  renderSize?: number | 'encoder';
}

export interface SftFlags extends JobFlags {
  model?: string;
  data?: string;
  imageRoot?: string;
  imageSize?: number;
  subImages?: number;
}

/** Only the flags given (undefined = not given); everything else comes from the config file or the recipe. */
function trainOverrides(f: TrainFlags): Record<string, unknown> {
  return givenOnly({
    steps: f.steps,
    batchSize: f.batchSize,
    seqLen: f.seqLen,
    maxImages: f.maxImages,
    lr: f.lr,
    warmupSteps: f.warmup,
    freeze: f.freeze
      ? f.freeze
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    checkpointEvery: f.checkpointEvery,
    seed: f.seed,
  });
}

function addTrainFlags(c: Command): Command {
  return c
    .option('--steps <n>', 'training steps', wholeNumber(1))
    .option('--batch-size <n>', 'sequences per step (B)', wholeNumber(1))
    .option('--seq-len <n>', 'tokens per sequence (T)', wholeNumber(8))
    .option('--max-images <n>', 'image slots per sequence (N)', wholeNumber(0))
    .option('--lr <x>', 'peak learning rate (warmup, then cosine decay to 10%)', numberIn(0, Infinity, true))
    .option('--warmup <n>', 'warmup steps', wholeNumber(0))
    .option('--freeze <list>', 'components to keep fixed: vision,connector,llm')
    .option('--checkpoint-every <n>', 'steps between checkpoints', wholeNumber(1))
    .option('--seed <n>', 'seed for initialisation and data order', wholeNumber(0))
    .option('--out <dir>', 'run directory')
    .option('--resume', "continue from the newest checkpoint in --out, with the run's own settings (run.json); flags given must agree")
    .option('--stop-after <n>', 'stop (with a checkpoint) after this step', wholeNumber(1))
    .option('-q, --quiet', 'no progress output');
}

/** --render-size: a side in pixels (≥ 8, as the renderer needs) or "encoder". */
function renderSize(value: string): number | 'encoder' {
  return value === 'encoder' ? value : wholeNumber(8)(value);
}

/**
 * `mm1 pretrain` draws world pictures at the encoder's side unless told otherwise: on the tiny
 * recipe that skips the 128 px render and the bicubic shrink, and two seeds each way trained to
 * the same loss with scores within seed-to-seed noise (docs/performance.md, "Data"). A config
 * parsed without it keeps 128 px, so the ablation studies, which build theirs without this
 * default, draw as before.
 */
const PRETRAIN_DATA_DEFAULTS = { renderSize: 'encoder' } as const;

/** The data flags given: any file flag switches data.source to "files"; each names its format. */
function dataOverrides(f: PretrainFlags): Record<string, unknown> {
  if (f.obelicsParquet && f.obelicsJsonl) throw new InvalidArgumentError('give --obelics-parquet or --obelics-jsonl, not both (one interleaved source).');
  const interleaved = f.obelicsParquet ?? f.obelicsJsonl;
  const files = givenOnly({
    caption: f.webdataset ? { format: 'webdataset', path: f.webdataset } : undefined,
    interleaved: interleaved ? { format: f.obelicsParquet ? 'obelics-parquet' : 'obelics-jsonl', path: interleaved } : undefined,
    text: f.textJsonl ? { format: 'text-jsonl', path: f.textJsonl } : undefined,
  });
  if (f.imageRoot !== undefined) files.interleaved = { ...(files.interleaved as object | undefined), imageRoot: f.imageRoot };
  return givenOnly({
    source: Object.keys(files).length > 0 ? 'files' : undefined,
    files: Object.keys(files).length > 0 ? files : undefined,
    mixture: givenOnly({ ...f.mixture, syntheticCaptionShare: f.syntheticCaptions }),
    maxSkipRate: f.maxSkipRate,
    renderSize: f.renderSize,
  });
}

/** --vision / --llm / --connector / --image-tokens as model overrides (model.vision.hf, model.llm.hf, model.connector). */
function modelOverrides(f: PretrainFlags): Record<string, unknown> {
  const parts: Record<string, unknown> = {};
  if (f.vision !== undefined) parts.vision = { hf: f.vision };
  if (f.llm !== undefined) parts.llm = { hf: f.llm };
  const connector = givenOnly({ kind: f.connector, tokens: f.imageTokens });
  if (Object.keys(connector).length) parts.connector = connector;
  return parts;
}

/** The pretraining config: the recipe's schedule and MM1's mixture, under the --config file,
 *  under the flags given. */
export function pretrainConfig(f: PretrainFlags): PretrainConfig {
  const file = readConfigFile(f.config);
  const recipeName = f.recipe ?? (typeof file.recipe === 'string' ? file.recipe : 'tiny');
  const recipe = getRecipe(recipeName);
  const defaults = { recipe: recipeName, data: { mixture: { ...MM1_MIX } }, train: { ...recipe.train, ...PRETRAIN_DEFAULTS } };
  const flags = {
    recipe: recipeName,
    model: modelOverrides(f),
    data: dataOverrides(f),
    train: trainOverrides(f),
    encoder: givenOnly({ clipSteps: f.clipSteps }),
  };
  const raw = deepMerge(deepMerge(defaults, file), flags) as typeof defaults & { model?: { vision?: { hf?: unknown } }; data: { renderSize?: unknown } };
  // A Hugging Face tower's side is known only once its files are read: its runs keep 128 px unless told.
  if (raw.data.renderSize === undefined && raw.model?.vision?.hf === undefined) raw.data.renderSize = PRETRAIN_DATA_DEFAULTS.renderSize;
  return parsePretrainConfig(raw, f.config ?? 'pretrain flags');
}

/** The fine-tuning config: SFT defaults, under the --config file, under the flags given. */
export function sftConfig(f: SftFlags): SftConfig {
  const file = readConfigFile(f.config);
  const defaults = { data: { source: 'world' }, train: SFT_TRAIN_DEFAULTS };
  const fileRoot = (file.data as { imageRoot?: unknown } | undefined)?.imageRoot;
  const llavaFile = f.data !== undefined && f.data !== 'world';
  // A LLaVA file named by flag gets an image root: the flag's, else the config file's, else '.'.
  const data =
    f.data === 'world'
      ? { source: 'world' }
      : llavaFile
        ? { source: 'llava', path: f.data, imageRoot: f.imageRoot ?? fileRoot ?? '.' }
        : givenOnly({ imageRoot: f.imageRoot });
  const flags = { init: f.model, imageSize: f.imageSize, subImageGrid: f.subImages, data, train: trainOverrides(f) };
  const raw = deepMerge(deepMerge(defaults, file), givenOnly(flags));
  if ((raw as { init?: unknown }).init === undefined) throw new Error('sft needs the pretrained model: --model <dir> (or "init" in the --config file)');
  return parseSftConfig(raw, f.config ?? 'sft flags');
}

/**
 * On --resume: the run's own settings (its run.json) under the --config file and the flags
 * given, so `mm1 pretrain --out R --resume` alone continues a run started with any flags.
 * Flags that disagree with the run are named, each with both values, by ClaimedRunDir.claim.
 */
export function resumedPretrainConfig(f: PretrainFlags, saved: unknown): PretrainConfig {
  const flags = {
    ...givenOnly({ recipe: f.recipe }),
    model: modelOverrides(f),
    data: dataOverrides(f),
    train: trainOverrides(f),
    encoder: givenOnly({ clipSteps: f.clipSteps }),
  };
  return parsePretrainConfig(deepMerge(deepMerge(saved, readConfigFile(f.config)), flags), 'run.json with the flags given');
}

/** On --resume: the fine-tuning run's own settings under the --config file and the flags given (see resumedPretrainConfig). */
export function resumedSftConfig(f: SftFlags, saved: unknown): SftConfig {
  const data =
    f.data === undefined
      ? givenOnly({ imageRoot: f.imageRoot })
      : f.data === 'world'
        ? { source: 'world' }
        : { source: 'llava', path: f.data, imageRoot: f.imageRoot ?? '.' };
  const flags = givenOnly({ init: f.model, imageSize: f.imageSize, subImageGrid: f.subImages, data, train: trainOverrides(f) });
  return parseSftConfig(deepMerge(deepMerge(saved, readConfigFile(f.config)), flags), 'run.json with the flags given');
}

/** Stopped by SIGINT/SIGTERM (after a checkpoint): exit 128 + the signal's number, as shells and supervisors expect. */
function exitAfterSignal(r: { stoppedBy: NodeJS.Signals | null }): void {
  if (r.stoppedBy) process.exitCode = signalExitCode(r.stoppedBy);
}

function summary(label: string, r: { records: { step: number; loss: number }[]; modelDir: string | null; wallSeconds: number; interrupted: boolean }): string {
  const last = r.records.at(-1);
  const where = r.modelDir ? `model: ${r.modelDir}` : `stopped at step ${last?.step ?? 0}; run again with --resume to continue`;
  return `${label}: ${r.records.length} steps in ${r.wallSeconds.toFixed(0)} s, last loss ${last?.loss.toFixed(3) ?? '-'}; ${where}\n`;
}

export function register(program: Command): void {
  const recipes = Object.values(RECIPES)
    .map((r) => `  ${r.name.padEnd(8)} ${r.description}`)
    .join('\n');
  addTrainFlags(
    addConnectorFlags(
      withDevice(program.command('pretrain'))
        .description(
          'MM1-style multimodal pretraining on interleaved documents, image–caption pairs and text, mixed by weight: the synthetic world by default, or your own shards (docs/data.md).',
        )
        .option('--recipe <name>', "model recipe (see below; default: tiny, or the config file's)")
        .option('--config <file>', 'JSON run config {recipe, model, data, train}; flags override it')
        .option('--mixture <i:c:t>', `interleaved:caption:text weights (default: MM1's ${MM1_MIX_TEXT}, or the config file's)`, mixtureWeights)
        .option('--synthetic-captions <share>', 'share of the caption weight given to dense synthetic captions (0-1)', numberIn(0, 1))
        .option(
          '--render-size <px|encoder>',
          "side the world's pictures are drawn at, then resized to the encoder's (default: encoder, the encoder's own side; 128 draws as the ablation studies do); evaluation draws the same way",
          renderSize,
        )
        .option(
          '--clip-steps <n>',
          "first pretrain the image encoder CLIP-style on image–caption pairs for this many steps (MM1 starts from a CLIP encoder): the world's, or with files the --webdataset captions",
          wholeNumber(0),
        )
        .option(
          '--webdataset <glob>',
          'train on your files: image–caption WebDataset tar shards (image + .txt or .json "caption"), e.g. "cc3m/{00000..00099}.tar"',
        )
        .option('--obelics-parquet <glob>', 'interleaved documents: OBELICS-style parquet ("texts" and "images" list columns)')
        .option('--obelics-jsonl <glob>', 'interleaved documents: OBELICS-style JSON Lines ({"texts": [...], "images": [...]} per line)')
        .option('--text-jsonl <glob>', 'text-only documents: JSON Lines of {"text": ...}')
        .option('--image-root <dir>', 'folder the image paths inside interleaved documents are relative to')
        .option(
          '--max-skip-rate <x>',
          `stop when a file source has skipped more than this share of broken records (default ${DEFAULT_MAX_SKIP_RATE})`,
          numberIn(0, 1),
        )
        .option(
          '--vision <dir>',
          'start from a Hugging Face CLIP or SigLIP tower (config model.vision.hf); its preprocessor_config.json decides resize, crop and normalisation',
        )
        .option('--llm <dir>', 'start from a Hugging Face Llama/Qwen2 LLM (config model.llm.hf); its tokenizer reads the data, with an image token added'),
    ),
  )
    .addHelpText(
      'after',
      `\nRecipes:\n${recipes}\n\nExample:\n  mm1 pretrain --recipe tiny --steps 600 --out runs/tiny\n  mm1 pretrain --vision clip-vit-base-patch16 --llm SmolLM2-135M --connector cabstractor --image-tokens 64 --freeze vision --out runs/smol   # docs/pretrained.md\n  mm1 pretrain --out runs/tiny --resume          # continue after Ctrl-C or kill: the run's own settings are used\n  mm1 pretrain --mixture 50:50:0 --out runs/no-text\n\nYour own data (docs/data.md, "Train on your own data"; a --config file's data section does the same):\n  mm1 pretrain --webdataset 'cc/*.tar' --obelics-parquet 'obelics/*.parquet' --text-jsonl 'text/*.jsonl' --out runs/mine\n  mm1 pretrain --webdataset 'cc/{0000..0099}.tar' --mixture 0:100:0 --out runs/captions-only\nShards are read lazily; broken records are skipped and listed in <out>/skipped.jsonl.\n\nWrites <out>/log.jsonl (every step), checkpoints/, run.json and, at the end, model/.`,
    )
    .action(async (f: PretrainFlags) => {
      const out = f.out ?? `runs/pretrain-${pretrainConfig(f).recipe}`;
      const saved = f.resume ? ClaimedRunDir.savedConfig(out) : undefined;
      const config = saved !== undefined ? resumedPretrainConfig(f, saved) : pretrainConfig(f);
      const r = await pretrain({ config, out, resume: f.resume, quiet: f.quiet, stopAfter: f.stopAfter });
      process.stdout.write(summary('pretrain', r));
      exitAfterSignal(r);
    });

  addTrainFlags(
    withDevice(program.command('sft'))
      .description(
        "Supervised fine-tuning on conversations (loss on answers only), optionally at a higher resolution (position-embedding interpolation) and with sub-image decomposition. A model built on a Hugging Face LLM renders conversations with that LLM's own chat template (docs/pretrained.md).",
      )
      .option('--model <dir>', 'pretrained model directory (e.g. runs/quickstart/model)')
      .option('--data <source>', "'world' (synthetic conversations, the default) or a LLaVA-format JSON file")
      .option('--image-root <dir>', "folder the LLaVA file's image paths are relative to")
      .option('--image-size <px>', 'encoder resolution for fine-tuning (position embeddings are interpolated)', wholeNumber(8))
      .option('--sub-images <g>', 'sub-image grid: each image becomes g×g crops plus an overview (default: 0 = off)', wholeNumber(0))
      .option('--config <file>', 'JSON sft config; flags override it'),
  )
    .addHelpText(
      'after',
      `\nExample:\n  mm1 sft --model runs/quickstart/model --steps 300 --out runs/sft\n  mm1 sft --out runs/sft --resume   # continue with the run's own settings\n  mm1 sft --model runs/quickstart/model --image-size 64 --sub-images 2 --out runs/sft-hires\n  mm1 sft --model runs/quickstart/model --data llava.json --image-root images/ --out runs/sft-llava`,
    )
    .action(async (f: SftFlags) => {
      const out = f.out ?? 'runs/sft';
      const saved = f.resume ? ClaimedRunDir.savedConfig(out) : undefined;
      const config = saved !== undefined ? resumedSftConfig(f, saved) : sftConfig(f);
      const r = await sft({ config, out, resume: f.resume, quiet: f.quiet, stopAfter: f.stopAfter });
      process.stdout.write(summary('sft', r));
      exitAfterSignal(r);
    });
}
