// Runs step graphs (step_graph.ts) for one model and set of weights: compiles each shape
// on first use and keeps the few it may meet again (graph_cache.ts), bakes the weights into
// the graph when they fit (nothing to feed per step), and moves the KV cache between the
// host and the graph.
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { CompiledGraph } from '../../engine/session.js';
import { cropCount } from '../../data/image_tokens.js';
import type { ModelConfig } from '../build/config.js';
import type { CacheState } from './kv_cache.js';
import { mm1Tower, modelTokensPerImage, type ImageTower } from '../build/multimodal.js';
import { imageSlotsNeeded, type PromptImageSlots, type TokenPrompt } from './prompt_layout.js';
import { buildStepGraph, type StepShape } from './step_graph.js';
import { GraphCache } from './graph_cache.js';

/**
 * Multi-token graphs kept compiled by default (graph_cache.ts). Two: an evaluation's prompt lengths
 * at one k alternate between two or three padded lengths, and a graph compiled again costs far more
 * than its compile (its arena is faulted in afresh: ~4 s CPU at [16, 976]); measured on
 * world-vqav2 32-shot × batch 16, keeping 1 took 1.6× the CPU of unbounded (1.09× with 4-prompt
 * prefill calls), keeping 2 the same CPU (docs/eval.md, "Memory").
 */
export const DEFAULT_KEEP_GRAPHS = 2;

export interface StepRunnerOptions {
  /** Placeholder id of image tokens; needed for prompts with images. */
  imageToken?: number;
  /** Default: the MM1 tower (ViT + connector) of the config. */
  tower?: ImageTower;
  threads?: number;
  /**
   * Bake the weights into the graphs as initialisers rather than feeding them every step
   * (faster decoding; ONNX Runtime pre-packs them). Default: when they fit in the 2 GB
   * protobuf limit with room to spare (< 1 GB).
   */
  bakeWeights?: boolean;
  /**
   * Prefill / scoring graphs (more than one new token per row) kept compiled at once, least
   * recently used out; each holds ONNX Runtime memory sized to its shape. Default
   * DEFAULT_KEEP_GRAPHS. More spares recurring shapes a second compile, at the cost of their memory.
   */
  keepGraphs?: number;
}

export class StepRunner {
  readonly graphs: GraphCache<CompiledGraph>;
  private readonly bake: boolean;

  constructor(
    readonly cfg: ModelConfig,
    readonly params: ParamValues,
    private readonly opts: StepRunnerOptions = {},
  ) {
    let bytes = 0;
    for (const v of params.values()) bytes += v.data.byteLength;
    this.bake = opts.bakeWeights ?? bytes < 1e9;
    this.graphs = new GraphCache(opts.keepGraphs ?? DEFAULT_KEEP_GRAPHS);
  }

  /** What prompt layout needs to place the images of `prompts` (one batch), or null when the runner takes no images. */
  imageSlots(prompts: readonly TokenPrompt[]): PromptImageSlots | null {
    if (this.opts.imageToken === undefined) return null;
    const c = this.cfg;
    const crops = cropCount(c.subImageGrid);
    const size = c.vision.imageSize;
    return { placeholder: this.opts.imageToken, tokensPerImage: modelTokensPerImage(c), crops, size, N: imageSlotsNeeded(prompts, crops, size) };
  }

  /** The compiled step graph for a shape. */
  private async compile(shape: StepShape): Promise<CompiledGraph> {
    const sg = buildStepGraph(this.cfg, shape, this.opts.tower ?? mm1Tower(this.cfg));
    for (const p of sg.g.params) if (!this.params.has(p.name)) throw new Error(`step graph: no value for parameter '${p.name}' ${p.describe()}`);
    const fed = this.bake ? [] : sg.g.params;
    return CompiledGraph.create(sg.g, [...sg.inputs, ...fed], sg.outputs, { threads: this.opts.threads, frozen: this.bake ? this.params : undefined });
  }

  /** One step: masks and (with past) the cache go in, the new k/v are written into `cache`; returns the logits. */
  async run(shape: StepShape, feeds: Record<string, HostTensor>, cache: CacheState, slots: number[][], real: boolean[][]): Promise<Float32Array> {
    const { mask, past_mask } = cache.masks(slots, real, shape.past);
    const all: Record<string, HostTensor> = { ...feeds, mask, ...(shape.past && past_mask ? { past_mask, ...cache.pastFeeds() } : {}) };
    if (!this.bake) for (const [name, v] of this.params) all[name] = v;
    const out = await this.graphs.with(
      JSON.stringify(shape),
      shape.S > 1,
      () => this.compile(shape),
      (compiled) => compiled.run(all),
    );
    cache.write(out.new_k, out.new_v, slots, real);
    return out.logits.data as Float32Array;
  }

  release(): Promise<void> {
    return this.graphs.release();
  }
}
