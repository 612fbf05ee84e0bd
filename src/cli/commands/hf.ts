// `mm1 import` and `mm1 export hf`: Hugging Face backbones into an mm1 model directory, and a
// trained model back out as Hugging Face directories (model/io/hf_import.ts, hf_export.ts).
import { Option, type Command } from 'commander';
import { ConnectorConfigSchema } from '../../model/build/config.js';
import { exportHfModel } from '../../model/io/hf_export.js';
import { importHfModel } from '../../model/io/hf_import.js';
import { wholeNumber } from '../flags.js';

interface ImportFlags {
  vision?: string;
  llm?: string;
  out: string;
  recipe?: string;
  connector?: string;
  imageTokens?: number;
  connectorWeights?: string;
  featureLayer?: string;
  maxPositions?: number;
  seed?: number;
}

/** The `--connector` and `--image-tokens` flags pretrain shares with import. */
export function addConnectorFlags(c: Command): Command {
  return c
    .addOption(new Option('--connector <kind>', "connector between tower and LLM (default: the recipe's)").choices(ConnectorConfigSchema.shape.kind.options))
    .option('--image-tokens <k>', "image tokens per image (default: the recipe's; a square for avgpool/cabstractor/pixelshuffle)", wholeNumber(1));
}

function featureLayer(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--feature-layer ${v}: expected an integer (-1 = last block, -2 = penultimate as LLaVA)`);
  return n;
}

export function register(program: Command): void {
  addConnectorFlags(
    program
      .command('import')
      .description(
        'Assemble a model directory from Hugging Face backbones: a CLIP or SigLIP vision tower and/or a Llama/Qwen2 (SmolLM2) LLM with its tokenizer, and a connector (fresh, or one `mm1 export hf` wrote).',
      )
      .option('--vision <dir>', 'Hugging Face CLIP or SigLIP directory (config.json, model.safetensors or shards, preprocessor_config.json)')
      .option('--llm <dir>', 'Hugging Face Llama/Qwen2 directory (config.json, safetensors, tokenizer.json, tokenizer_config.json)')
      .requiredOption('--out <dir>', 'model directory to write')
      .option('--recipe <name>', 'recipe for the parts not given and the connector defaults (default: tiny)')
      .option('--connector-weights <dir>', 'the connector/ directory of an `mm1 export hf` output (decides connector kind, tokens and tower features)')
      .option('--feature-layer <i>', 'tower block whose output feeds the connector, as HF hidden_states (-1 = last, -2 = penultimate)')
      .option('--max-positions <n>', "cap the LLM's context (its config.json's max_position_embeddings sizes the generation cache)", wholeNumber(8))
      .option('--seed <n>', 'seed of the fresh connector', wholeNumber(0)),
  )
    .addHelpText(
      'after',
      `\nNothing is downloaded: get the directories first (e.g. huggingface-cli download openai/clip-vit-base-patch16).\n\nExamples:\n  mm1 import --vision clip-vit-base-patch16 --llm SmolLM2-135M-Instruct --connector cabstractor --image-tokens 64 --out models/smol\n  mm1 export hf --model runs/sft/model --out exported/\n  mm1 import --vision exported/vision --llm exported/llm --connector-weights exported/connector --out models/back   # the same model back\n\nSee docs/pretrained.md.`,
    )
    .action(async (f: ImportFlags) => {
      const r = await importHfModel({
        vision: f.vision,
        llm: f.llm,
        out: f.out,
        recipe: f.recipe,
        connector: { kind: f.connector as never, tokens: f.imageTokens },
        connectorDir: f.connectorWeights,
        featureLayer: featureLayer(f.featureLayer),
        maxPositions: f.maxPositions,
        seed: f.seed,
      });
      const c = r.config;
      process.stdout.write(
        `import: ${f.out}: tower ${c.vision.imageSize} px (width ${c.vision.width}, ${c.vision.depth} layers), connector ${c.connector.kind} × ${c.connector.tokens} tokens, ` +
          `LLM width ${c.llm.width}, ${c.llm.depth} layers, vocabulary ${c.llm.vocabSize}; ${(r.params / 1e6).toFixed(1)} M parameters\n`,
      );
    });

  // `mm1 export` may hold other targets (e.g. web): reuse the command if another file registered it.
  const exportCmd = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('Write a trained model in another format.');
  exportCmd
    .command('hf')
    .description(
      'Write a model as Hugging Face directories: OUT/vision (CLIPVisionModel or SiglipVisionModel), OUT/llm (LlamaForCausalLM/Qwen2ForCausalLM + tokenizer), OUT/connector (mm1).',
    )
    .requiredOption('--model <dir>', 'a trained model directory (e.g. runs/sft/model)')
    .requiredOption('--out <dir>', 'output folder')
    .addHelpText(
      'after',
      "\nThe tower must be CLIP- or SigLIP-shaped, as every tower imported from HF is (the towers of mm1's own recipes are neither).\nExample:\n  mm1 export hf --model runs/sft/model --out exported/",
    )
    .action(async (f: { model: string; out: string }) => {
      const d = await exportHfModel(f.model, f.out);
      process.stdout.write(`export hf: ${d.vision}, ${d.llm}, ${d.connector}\n`);
    });
}
