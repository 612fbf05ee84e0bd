// Text generation from (multimodal) prompts: one prefill step over the padded prompts
// (the image tower runs here), then one decode step per new token against the static KV
// cache; or, as a reference, a full re-run of the whole sequence per token (no cache).
// Token choice (greedy / temperature / top-p), stop token ids, stop strings and the
// token budget are handled on the host.
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { Rng } from '../../engine/rng.js';
import type { ModelConfig } from '../build/config.js';
import { CacheState, kvCacheDims } from './kv_cache.js';
import { scoreContinuations, type ContinuationScore, type ScoreItem } from './likelihood.js';
import { scoreSharedPrompts, sharedPromptScoring } from './shared_prompt_score.js';
import { checkPrompts, layoutRows, type Padding, type TokenPrompt } from './prompt_layout.js';
import { pickToken, type SamplingOptions } from './sampling.js';
import { StepRunner, type StepRunnerOptions } from './step_runner.js';
import { checkPrefillMb, prefillRowsFor, rowChunks } from './row_chunks.js';

export type { TokenPrompt } from './prompt_layout.js';

export interface GeneratorOptions extends StepRunnerOptions {
  /** Cache capacity in tokens (prompt + generated); default cfg.llm.maxPositions. */
  maxLen?: number;
  /** Id fed in padding slots (never attended to); default 0. */
  padToken?: number;
  /** Prompts per prefill / full-pass scoring call (row_chunks.ts); default: sized by prefillMB. */
  prefillRows?: number;
  /** MB of attention scores a prefill call may hold, which sets its prompts (row_chunks.ts); default DEFAULT_PREFILL_MB. */
  prefillMB?: number;
}

export interface TokenGenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Seed of the sampling streams (one per row); default 0. */
  seed?: number;
  stopTokenIds?: number[];
  /** Stop when the decoded text contains one of these (needs `decode`); the text is cut before it. */
  stopStrings?: string[];
  decode?: (ids: number[]) => string;
  padding?: Padding;
  /** Called with each token as it is accepted (streaming); not with stop token ids. */
  onToken?: (row: number, token: number) => void;
  /** false: re-run the whole sequence per token (reference path). Default true. */
  useCache?: boolean;
}

export interface TokenGeneration {
  /** Generated ids, without the stop token id. */
  tokens: number[];
  /** Decoded text (when `decode` is given), cut before a stop string. */
  text?: string;
  finish: 'stop_token' | 'stop_string' | 'length';
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

export class Generator {
  readonly maxLen: number;
  readonly runner: StepRunner;

  constructor(
    readonly cfg: ModelConfig,
    readonly params: ParamValues,
    private readonly opts: GeneratorOptions = {},
  ) {
    this.maxLen = opts.maxLen ?? cfg.llm.maxPositions;
    if (this.maxLen > cfg.llm.maxPositions) throw new Error(`generator: maxLen ${this.maxLen} exceeds the model's maxPositions ${cfg.llm.maxPositions}`);
    // Bad sizes fail here, not at the first prompt.
    if (opts.prefillRows !== undefined) rowChunks(1, opts.prefillRows);
    if (opts.prefillMB !== undefined) checkPrefillMb(opts.prefillMB);
    this.runner = new StepRunner(cfg, params, opts);
  }

  /** Generate for each prompt (one batch); results in prompt order. */
  async generate(prompts: TokenPrompt[], o: TokenGenerateOptions): Promise<TokenGeneration[]> {
    const B = prompts.length;
    const img = this.runner.imageSlots(prompts);
    checkPrompts(prompts, img);
    const N = img?.N ?? 0;
    if (o.stopStrings?.length && !o.decode) throw new Error('generate: stopStrings need a decode function (token ids -> text)');
    const lens = prompts.map((p) => p.tokens.length);
    const longest = Math.max(...lens);
    if (!(o.maxNewTokens >= 1)) throw new Error(`generate: maxNewTokens must be ≥ 1, got ${o.maxNewTokens}`);
    if (longest + o.maxNewTokens > this.maxLen)
      throw new Error(
        `generate: the longest prompt (${longest} tokens) + maxNewTokens (${o.maxNewTokens}) exceeds maxLen ${this.maxLen}; shorten the prompt or raise maxLen`,
      );
    const padding = o.padding ?? 'left';
    const pad = this.opts.padToken ?? 0;
    const V = this.cfg.llm.vocabSize;
    const rngs = prompts.map((_, b) => new Rng(o.seed ?? 0).fork(`row ${b}`));
    const out: TokenGeneration[] = prompts.map(() => ({ tokens: [], finish: 'length' }));
    const done = new Array<boolean>(B).fill(false);
    const accept = (logits: Float32Array) => {
      for (let b = 0; b < B; b++) {
        if (done[b]) continue;
        const t = pickToken(logits.subarray(b * V, (b + 1) * V), o, rngs[b]);
        if (o.stopTokenIds?.includes(t)) {
          [done[b], out[b].finish] = [true, 'stop_token'];
          continue;
        }
        out[b].tokens.push(t);
        o.onToken?.(b, t);
        if (o.decode) out[b].text = o.decode(out[b].tokens);
        const hit = o.stopStrings?.map((s) => out[b].text!.indexOf(s)).filter((i) => i >= 0);
        if (hit?.length) [out[b].text, done[b], out[b].finish] = [out[b].text!.slice(0, Math.min(...hit)), true, 'stop_string'];
        else if (out[b].tokens.length >= o.maxNewTokens) done[b] = true;
      }
    };

    if (o.useCache === false) {
      // Reference path: every step re-runs prompt + generated tokens from an empty cache.
      const L = roundUp(longest + o.maxNewTokens - 1, 16);
      for (let step = 0; step < o.maxNewTokens && done.includes(false); step++) {
        const seqs = prompts.map((p, b) => [...p.tokens, ...out[b].tokens]);
        const lay = layoutRows(seqs, lens, L, padding, pad, prompts, img);
        accept(await this.runner.run({ B, S: L, N, maxLen: L, past: false }, lay.feeds, new CacheState(kvCacheDims(this.cfg.llm, B, L)), lay.slots, lay.real));
      }
      return out;
    }

    const cache = new CacheState(kvCacheDims(this.cfg.llm, B, this.maxLen));
    // Pad prompts to a multiple of 16 so batches of similar length share one prefill graph.
    const P = Math.max(longest, Math.min(roundUp(longest, 16), this.maxLen - o.maxNewTokens + 1));
    // The prefill in calls of a bounded number of prompts (row_chunks.ts), each into its rows of the cache; the decode is one call.
    const first = new Float32Array(B * V);
    for (const [s, e] of rowChunks(B, this.rowsPerCall(B, P))) {
      const part = prompts.slice(s, e);
      const lay = layoutRows(
        part.map((p) => p.tokens),
        lens.slice(s, e),
        P,
        padding,
        pad,
        part,
        img,
      );
      const rows = e - s === B ? cache : new CacheState(kvCacheDims(this.cfg.llm, e - s, this.maxLen));
      first.set(await this.runner.run({ B: e - s, S: P, N, maxLen: this.maxLen, past: false }, lay.feeds, rows, lay.slots, lay.real), s * V);
      if (rows !== cache) cache.putRows(rows, s);
    }
    accept(first);
    const slot = lens.map((n) => (padding === 'left' ? P : n));
    const pos = [...lens];
    const lastRows: HostTensor = { dtype: 'int64', shape: [B], data: BigInt64Array.from({ length: B }, (_, b) => BigInt(b)) };
    while (done.includes(false)) {
      const tok = prompts.map((_, b) => (done[b] ? pad : out[b].tokens[out[b].tokens.length - 1]));
      const feeds: Record<string, HostTensor> = {
        tokens: { dtype: 'int64', shape: [B, 1], data: BigInt64Array.from(tok, BigInt) },
        positions: { dtype: 'int64', shape: [B, 1], data: BigInt64Array.from(pos, BigInt) },
        rows: lastRows,
      };
      const real = done.map((d) => [!d]);
      accept(
        await this.runner.run(
          { B, S: 1, N: 0, maxLen: this.maxLen, past: true },
          feeds,
          cache,
          slot.map((s) => [s]),
          real,
        ),
      );
      for (let b = 0; b < B; b++) [slot[b], pos[b]] = [slot[b] + 1, pos[b] + 1];
    }
    return out;
  }

  /**
   * Log-probabilities of given continuations: one full pass per continuation (likelihood.ts),
   * or with `sharePrompts` (default: MM1_SHARED_PROMPT_SCORING=1) one pass per distinct prompt
   * and a cached step for the continuations (shared_prompt_score.ts; equal up to float rounding).
   */
  score(items: ScoreItem[], padding: Padding = 'right', sharePrompts = sharedPromptScoring()): Promise<ContinuationScore[]> {
    const pad = this.opts.padToken ?? 0;
    return sharePrompts ? scoreSharedPrompts(this.runner, items, pad) : scoreContinuations(this.runner, items, pad, padding, (B, S) => this.rowsPerCall(B, S));
  }

  /** Prompts per multi-token call of B prompts padded to S: prefillRows, else what prefillMB of scores allows. */
  rowsPerCall(B: number, S: number): number {
    return this.opts.prefillRows ?? prefillRowsFor(B, S, this.cfg.llm.heads, this.opts.prefillMB);
  }

  release(): Promise<void> {
    return this.runner.release();
  }
}
