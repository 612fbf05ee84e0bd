// Named model recipes, all in one place. A recipe is data: a ModelConfig (the vocabulary
// size comes from the tokenizer at build time) and the training defaults it was sized for.
//   tiny    — the quick start: trains on 2 CPU cores in minutes.
//   bench   — the fixed benchmark model of `npm run bench` (see bench/model.ts).
//   small   — a larger laptop model: hours on a CPU.
//   mm1-3b  — MM1-3B on paper: ViT-H/14 at 378 px, C-Abstractor with 144 tokens, a 3B
//             Llama-like decoder. Built (graph + parameter count), not trained here.
import { parseModelConfig, type ModelConfig } from './config.js';
import { type Graph } from '../../engine/graph.js';
import { numel } from '../../engine/host_tensor.js';
import { componentOf, type Component } from './components.js';
import { buildMultimodalTraining } from './multimodal.js';

export interface RecipeTrain {
  batchSize: number;
  seqLen: number;
  /** Image slots per sequence. */
  maxImages: number;
  lr: number;
  warmupSteps: number;
  weightDecay: number;
  clipNorm: number;
}

export interface Recipe {
  name: string;
  description: string;
  /** The vocabulary the recipe is defined with; null = must come from the tokenizer. */
  vocabSize: number | null;
  model: Omit<ModelConfig, 'llm'> & { llm: Omit<ModelConfig['llm'], 'vocabSize'> };
  train: RecipeTrain;
}

const recipe = (r: { name: string; description: string; vocabSize: number | null; model: unknown; train: RecipeTrain }): Recipe => {
  // Validate once with a placeholder vocabulary so defaults are filled and typos fail at load.
  const { llm, ...rest } = parseModelConfig(
    { ...(r.model as object), name: r.name, llm: { vocabSize: 1, ...(r.model as { llm: object }).llm } },
    `recipe '${r.name}'`,
  );
  const { vocabSize: _v, ...llmRest } = llm;
  return { ...r, model: { ...rest, llm: llmRest } };
};

export const RECIPES: Record<string, Recipe> = Object.fromEntries(
  [
    recipe({
      name: 'tiny',
      description: 'quick start: 48 px images, 2-block ViT, 16 image tokens, 3-layer LLM of width 128',
      vocabSize: null,
      model: {
        vision: { imageSize: 48, patchSize: 8, width: 96, depth: 2, heads: 3, mlpHidden: 384, activation: 'gelu_tanh' },
        connector: { kind: 'avgpool', tokens: 16 },
        llm: { width: 128, depth: 3, heads: 4, mlpHidden: 384, maxPositions: 512 },
      },
      train: { batchSize: 8, seqLen: 128, maxImages: 2, lr: 2e-3, warmupSteps: 50, weightDecay: 0.1, clipNorm: 1 },
    }),
    recipe({
      name: 'bench',
      description: 'benchmark model: 64 px ViT 192×4, 2×2 avg-pool to 16 tokens, LLM 256×4 with vocab 2048',
      vocabSize: 2048,
      model: {
        vision: { imageSize: 64, patchSize: 8, width: 192, depth: 4, heads: 3, mlpHidden: 768, activation: 'gelu_tanh', classToken: false, postNorm: true },
        connector: { kind: 'avgpool', tokens: 16 },
        llm: { width: 256, depth: 4, heads: 4, mlpHidden: 704, maxPositions: 512, tieEmbeddings: false },
      },
      train: { batchSize: 8, seqLen: 256, maxImages: 1, lr: 1e-3, warmupSteps: 100, weightDecay: 0.1, clipNorm: 1 },
    }),
    recipe({
      name: 'small',
      description: '96 px images, 6-block ViT of width 256, C-Abstractor with 36 tokens, 6-layer GQA LLM of width 384',
      vocabSize: null,
      model: {
        vision: { imageSize: 96, patchSize: 8, width: 256, depth: 6, heads: 4, mlpHidden: 1024 },
        connector: { kind: 'cabstractor', tokens: 36, depth: 1 },
        llm: { width: 384, depth: 6, heads: 6, kvHeads: 2, mlpHidden: 1024, maxPositions: 1024 },
      },
      train: { batchSize: 8, seqLen: 512, maxImages: 4, lr: 1e-3, warmupSteps: 200, weightDecay: 0.1, clipNorm: 1 },
    }),
    recipe({
      name: 'mm1-3b',
      description: 'MM1-3B on paper: ViT-H/14 at 378 px (27×27 patches), C-Abstractor (Honeybee: depth 3, hidden 1024) to 144 tokens, 3B decoder',
      vocabSize: 32000,
      model: {
        vision: {
          imageSize: 378,
          patchSize: 14,
          width: 1280,
          depth: 32,
          heads: 16,
          mlpHidden: 5120,
          activation: 'gelu',
          classToken: true,
          preNorm: true,
          postNorm: false,
        },
        connector: { kind: 'cabstractor', tokens: 144, depth: 3, hidden: 1024 },
        llm: { width: 3072, depth: 26, heads: 24, kvHeads: 8, mlpHidden: 8192, maxPositions: 4096, ropeTheta: 10000 },
      },
      // MM1 pre-training: batch 512 sequences of 4096 tokens, up to 16 images each.
      train: { batchSize: 512, seqLen: 4096, maxImages: 16, lr: 5.8e-5, warmupSteps: 2000, weightDecay: 0.1, clipNorm: 1 },
    }),
  ].map((r) => [r.name, r]),
);

export function getRecipe(name: string): Recipe {
  const r = RECIPES[name];
  if (!r) throw new Error(`unknown recipe '${name}'; choose one of: ${Object.keys(RECIPES).join(', ')}`);
  return r;
}

/** The recipe's ModelConfig with the tokenizer's vocabulary (required unless the recipe fixes one). */
export function recipeModel(name: string, vocabSize?: number): ModelConfig {
  const r = getRecipe(name);
  const v = vocabSize ?? r.vocabSize;
  if (v === null) throw new Error(`recipe '${name}' takes its vocabulary size from the tokenizer: pass vocabSize (tokenizer.vocabSize)`);
  return parseModelConfig({ ...r.model, llm: { ...r.model.llm, vocabSize: v } }, `recipe '${name}'`);
}

/** Parameters per component, from the symbolic graph (no weights allocated): forward only, batch 1. */
export function countModelParams(cfg: ModelConfig): Record<Component | 'total', number> {
  const m = buildMultimodalTraining(cfg, { B: 1, T: 16, N: 1 }, undefined, `count_${cfg.name}`);
  return countGraphParams(m.g);
}

export function countGraphParams(g: Graph): Record<Component | 'total', number> {
  const out = { vision: 0, connector: 0, llm: 0, total: 0 };
  for (const p of g.params) {
    out[componentOf(p.name)] += numel(p.shape);
    out.total += numel(p.shape);
  }
  return out;
}
