// Scoring continuations: the log-probability of given tokens after a (multimodal) prompt,
// from one forward pass over prompt + continuation (every position's logits), and whether
// greedy decoding would have produced them. Used for multiple-choice and likelihood evals.
import type { HostTensor } from '../../engine/host_tensor.js';
import { CacheState, kvCacheDims } from './kv_cache.js';
import { checkPrompts, layoutRows, type Padding, type TokenPrompt } from './prompt_layout.js';
import { argmax } from './sampling.js';
import type { StepRunner } from './step_runner.js';
import { rowChunks } from './row_chunks.js';

export interface ScoreItem {
  prompt: TokenPrompt;
  /** Token ids whose probability after the prompt is wanted (at least one). */
  continuation: number[];
}

export interface ContinuationScore {
  /** Sum of the continuation tokens' log-probabilities. */
  logProb: number;
  tokenLogProbs: number[];
  /** Whether greedy decoding would have produced exactly the continuation. */
  isGreedy: boolean;
}

/** log softmax(row)[token] in float64. */
export function logProbOf(row: Float32Array, token: number): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return row[token] - max - Math.log(sum);
}

export async function scoreContinuations(
  runner: StepRunner,
  items: ScoreItem[],
  pad: number,
  padding: Padding,
  rowsPerCall: (B: number, S: number) => number = (B) => B,
): Promise<ContinuationScore[]> {
  const cfg = runner.cfg;
  const prompts = items.map((it) => it.prompt);
  const img = runner.imageSlots(prompts);
  checkPrompts(prompts, img);
  items.forEach((it, b) => {
    if (it.continuation.length === 0) throw new Error(`score: item ${b} has an empty continuation`);
  });
  const seqs = items.map((it) => [...it.prompt.tokens, ...it.continuation]);
  const longest = Math.max(...seqs.map((s) => s.length));
  if (longest > cfg.llm.maxPositions)
    throw new Error(`score: a prompt + continuation of ${longest} tokens exceeds the model's maxPositions ${cfg.llm.maxPositions}`);
  const L = Math.ceil(longest / 16) * 16;
  const V = cfg.llm.vocabSize;
  const out: ContinuationScore[] = [];
  // In calls of a bounded number of items (row_chunks.ts), all at the batch's one length L.
  for (const [s, e] of rowChunks(items.length, rowsPerCall(items.length, L))) {
    const B = e - s;
    const lay = layoutRows(
      seqs.slice(s, e),
      prompts.slice(s, e).map((p) => p.tokens.length),
      L,
      padding,
      pad,
      prompts.slice(s, e),
      img,
    );
    const rows: HostTensor = { dtype: 'int64', shape: [B * L], data: BigInt64Array.from({ length: B * L }, (_, i) => BigInt(i)) };
    const shape = { B, S: L, N: img?.N ?? 0, maxLen: L, past: false, rows: B * L };
    const logits = await runner.run(shape, { ...lay.feeds, rows }, new CacheState(kvCacheDims(cfg.llm, B, L)), lay.slots, lay.real);
    items.slice(s, e).forEach((it, b) => {
      const offset = padding === 'left' ? L - seqs[s + b].length : 0;
      const tokenLogProbs: number[] = [];
      let isGreedy = true;
      it.continuation.forEach((tok, i) => {
        // The logits at position p predict the token at p + 1.
        const p = b * L + offset + it.prompt.tokens.length + i - 1;
        const row = logits.subarray(p * V, (p + 1) * V);
        tokenLogProbs.push(logProbOf(row, tok));
        if (argmax(row) !== tok) isGreedy = false;
      });
      out.push({ logProb: tokenLogProbs.reduce((a, x) => a + x, 0), tokenLogProbs, isGreedy });
    });
  }
  return out;
}
