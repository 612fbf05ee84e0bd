// loadModel(dir): a trained mm1 model directory as an Mm1Model (model/infer/api.ts) — the one
// surface evaluation, serving and library users see. Prompts are tokenised with the same
// templates as training (pretraining documents or the SFT chat template), images
// preprocessed like training images, and generation runs on the KV-cache graphs.
import type { RgbImage } from '../../data/document.js';
import type { ParamValues } from '../../engine/param_store.js';
import { countParams } from '../../engine/param_store.js';
import { tokenizePrompt } from '../../data/chat.js';
import { TokenSeqBuilder, type ImageRunConfig, type TokenizedDoc } from '../../data/doc_tokens.js';
import { modelPreprocess, overviewPixels, preprocessImage } from '../../data/subimage.js';
import { cropCount } from '../../data/image_tokens.js';
import { checkHighResLast, fullSets, shrinkImageRuns } from './mixed_resolution.js';
import type { Mm1Tokenizer } from '../../data/tokenizer.js';
import type { GenerateOptions, Generation, Likelihood, LikelihoodRequest, Mm1Model, ModelInfo, Prompt } from './api.js';
import type { ModelConfig } from '../build/config.js';
import { Generator, type TokenPrompt } from './generate.js';
import { modelTokensPerImage } from '../build/image_tower.js';
import { readModelDir, type ModelDir } from '../io/model_dir.js';
import { StopHoldback } from './stop_holdback.js';

export interface LoadModelOptions {
  /** Most images one prompt may hold (default: what fits in the context at ~8 text tokens per image). */
  maxImages?: number;
  threads?: number;
  /** Score multiple-choice continuations with one pass per distinct prompt (shared_prompt_score.ts);
   *  default: MM1_SHARED_PROMPT_SCORING. Off for evaluations that must repeat earlier numbers. */
  sharePrompts?: boolean;
  /** Prefill graphs kept compiled at once (StepRunnerOptions.keepGraphs; default DEFAULT_KEEP_GRAPHS). */
  keepGraphs?: number;
  /** MB of attention scores per prefill call, which sets how many prompts it takes (GeneratorOptions.prefillMB). */
  prefillMB?: number;
  /**
   * MM1's mixed-resolution prompts (mixed_resolution.ts): for a sub-image model only the last N
   * pictures of each prompt get all their crops, the earlier ones the overview alone. Default
   * (undefined): every picture all its crops. No effect on a model without sub-images.
   */
  highResLast?: number;
}

export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<Mm1Model> {
  return modelFromParts(await readModelDir(dir), dir, opts);
}

/** A model directory's contents already in memory (the browser page fetches them), as an Mm1Model named `name`. */
export function modelFromParts(m: ModelDir, name: string, opts: LoadModelOptions = {}): Mm1Model {
  return new LoadedModel(m.config, m.weights, m.tokenizer, name, opts, trainedImages(m.extra), trainedRenderSize(m.extra));
}

/** `run.train.maxImages` from config.json, which training records (see run_training.ts). */
function trainedImages(extra: Record<string, unknown>): number | undefined {
  const n = (extra.run as { train?: { maxImages?: unknown } } | undefined)?.train?.maxImages;
  return typeof n === 'number' && Number.isSafeInteger(n) ? Math.max(1, n) : undefined;
}

/** data.renderSize of the run that trained the model (saved under `run` in config.json), if any. */
function trainedRenderSize(extra: Record<string, unknown>): number | undefined {
  const size = (extra.run as { data?: { renderSize?: unknown } } | undefined)?.data?.renderSize;
  return typeof size === 'number' ? size : undefined;
}

/**
 * Pictures that fit the context at ~8 text tokens each: full ones of tokensPerImage, or with
 * highResLast the last N full and the earlier ones low-res (tokensPerCrop), so an evaluation's
 * shot cap (eval/fewshot.ts) counts the shorter prompts too.
 */
function fittingImages(context: number, tokensPerImage: number, tokensPerCrop: number, highResLast: number | undefined): number {
  const full = Math.min(highResLast ?? Infinity, Math.floor(context / (tokensPerImage + 8)));
  const low = highResLast === undefined ? 0 : Math.floor((context - full * (tokensPerImage + 8)) / (tokensPerCrop + 8));
  return Math.max(1, full + low);
}

class LoadedModel implements Mm1Model {
  readonly info: ModelInfo;
  private readonly generator: Generator;
  private readonly run: ImageRunConfig;
  /** Preprocessed pixels per picture object: few-shot prompts show the same pool pictures to
   *  query after query, and resizing + normalising them again each time was most of an 8-shot
   *  eval's host work. Keyed weakly, so pictures no one holds are freed with their entry;
   *  pictures are read-only data (a caller that edits one in place must pass a new object). */
  private readonly pixels = new WeakMap<RgbImage, Float32Array>();
  private readonly sharePrompts: boolean | undefined;
  /** highResLast for a sub-image model; undefined (every picture full) otherwise. */
  private readonly highResLast: number | undefined;
  /** Tokens of one crop (a low-res picture of highResLast): tokensPerImage ÷ crops per picture. */
  private readonly tokensPerCrop: number;

  constructor(
    readonly cfg: ModelConfig,
    params: ParamValues,
    readonly tokenizer: Mm1Tokenizer,
    dir: string,
    opts: LoadModelOptions,
    trained: number | undefined,
    renderSize?: number,
  ) {
    this.run = { tokensPerImage: modelTokensPerImage(cfg), markers: false };
    this.sharePrompts = opts.sharePrompts;
    if (opts.highResLast !== undefined) checkHighResLast(opts.highResLast, 'highResLast');
    this.highResLast = cropCount(cfg.subImageGrid) > 1 ? opts.highResLast : undefined;
    this.tokensPerCrop = this.run.tokensPerImage / cropCount(cfg.subImageGrid);
    const context = cfg.llm.maxPositions;
    const maxImages = opts.maxImages ?? fittingImages(context, this.run.tokensPerImage, this.tokensPerCrop, this.highResLast);
    this.generator = new Generator(cfg, params, {
      padToken: tokenizer.special.pad,
      imageToken: tokenizer.special.image,
      threads: opts.threads,
      keepGraphs: opts.keepGraphs,
      prefillMB: opts.prefillMB,
    });
    this.info = {
      name: dir,
      imageSize: cfg.vision.imageSize,
      maxImages,
      ...(trained !== undefined ? { trainedImages: Math.min(trained, maxImages) } : {}),
      contextLength: context,
      params: countParams(params),
      ...(renderSize !== undefined ? { renderSize } : {}),
      ...(this.highResLast !== undefined ? { highResLast: this.highResLast } : {}),
    };
  }

  /** Pretraining-style prompts are `<bos> segments…` (no <eos>); chats use the SFT template ending in <|assistant|>. */
  private tokenize(p: Prompt): TokenizedDoc {
    if ('conversation' in p) return tokenizePrompt(p.conversation, this.tokenizer, this.run);
    const b = new TokenSeqBuilder(this.tokenizer, this.run, 'prompt');
    b.token(this.tokenizer.special.bos, false, true);
    b.segments(p.segments, false);
    return b.build();
  }

  /** The prompt's ids, its pictures, and which of them get the full set (all but the low-res ones of highResLast). */
  private tokenIds(p: Prompt): { ids: number[]; images: RgbImage[]; full: boolean[] } {
    const doc = this.tokenize(p);
    const images = doc.images.map((im) => im.image);
    const full = fullSets(images.length, this.highResLast);
    if (this.highResLast === undefined) return { ids: doc.ids, images, full };
    return { ids: shrinkImageRuns(doc.ids, doc.images, full, this.tokenizer.special.image, this.run.tokensPerImage, this.tokensPerCrop), images, full };
  }

  private toTokens(p: Prompt): TokenPrompt {
    const { ids, images, full } = this.tokenIds(p);
    const pre = modelPreprocess(this.cfg);
    const pixels = (image: RgbImage) => {
      let out = this.pixels.get(image);
      if (!out) this.pixels.set(image, (out = preprocessImage(image, pre)));
      return out;
    };
    return { tokens: ids, images: images.map((im, i) => (full[i] ? pixels(im) : overviewPixels(pixels(im), pre))) };
  }

  countTokens(p: Prompt): number {
    return this.tokenIds(p).ids.length;
  }

  async generate(prompts: Prompt[], o: GenerateOptions): Promise<Generation[]> {
    if (prompts.length === 0) return [];
    if (o.onText && prompts.length > 1) throw new Error('generate: streaming (onText) takes one prompt at a time');
    const tok = prompts.map((p) => this.toTokens(p));
    const decode = (ids: number[]) => this.tokenizer.decode(ids);
    const stop = o.stop?.length ? o.stop : undefined;
    // Streaming: decode the tokens so far and pass what is new through the one StopHoldback,
    // so no caller ever sees a stop string or the start of one (the final text settles it).
    const holdback = new StopHoldback(stop);
    const seen: number[] = [];
    let decoded = '';
    const emit = (text: string) => {
      // A token can change how earlier ones decode (a split UTF-8 character): wait until the text extends what was fed.
      if (text.length <= decoded.length || !text.startsWith(decoded)) return;
      const piece = holdback.push(text.slice(decoded.length));
      decoded = text;
      if (piece) o.onText!(piece);
    };
    const gens = await this.generator.generate(tok, {
      maxNewTokens: o.maxNewTokens,
      temperature: o.temperature ?? 0,
      topP: o.topP,
      seed: o.seed,
      stopTokenIds: this.tokenizer.stopIds,
      stopStrings: stop,
      decode,
      onToken: o.onText
        ? (_row, t) => {
            seen.push(t);
            emit(decode(seen).trimStart());
          }
        : undefined,
    });
    const out = gens.map((g, i): Generation => ({
      text: (g.text ?? decode(g.tokens)).trim(),
      finishReason: g.finish === 'length' ? 'length' : 'stop',
      promptTokens: tok[i].tokens.length,
      completionTokens: g.tokens.length,
    }));
    if (o.onText) {
      const rest = holdback.finish(out[0].text);
      if (rest) o.onText(rest);
    }
    return out;
  }

  async logLikelihood(requests: LikelihoodRequest[]): Promise<Likelihood[]> {
    if (requests.length === 0) return [];
    const items = requests.map((r) => {
      const continuation = this.tokenizer.encode(r.continuation);
      if (continuation.length === 0) throw new Error(`logLikelihood: continuation ${JSON.stringify(r.continuation)} encodes to no tokens`);
      return { prompt: this.toTokens(r.context), continuation };
    });
    const scores = await this.generator.score(items, 'right', this.sharePrompts);
    return scores.map((s, i) => ({ logProb: s.logProb, tokens: items[i].continuation.length, isGreedy: s.isGreedy }));
  }

  release(): Promise<void> {
    return this.generator.release();
  }
}
