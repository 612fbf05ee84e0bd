// Scoring continuations that share prompts (a multiple-choice question's four choices after
// one few-shot prompt) with one pass over each distinct prompt instead of one per continuation:
// the prompts are prefilled once into a KV cache, each continuation's row gets a copy of its
// prompt's cache, and one cached step scores all continuation tokens. The log-probabilities
// are those of likelihood.ts's full pass up to float rounding (other shapes reduce in another
// order, ~1e-6 relative), not bit for bit, so evaluations that must repeat earlier numbers
// (the ablation studies) keep the full pass; MM1_SHARED_PROMPT_SCORING=1 turns this on.
import type { HostTensor } from '../../engine/host_tensor.js';
import { CacheState, kvCacheDims } from './kv_cache.js';
import { type ContinuationScore, logProbOf, type ScoreItem } from './likelihood.js';
import { checkPrompts, layoutRows, type TokenPrompt } from './prompt_layout.js';
import { argmax } from './sampling.js';
import type { StepRunner } from './step_runner.js';

/** MM1_SHARED_PROMPT_SCORING=1 scores continuations with shared prompts once per prompt; unset or 0, one full pass per continuation. */
// (No `process` in the browser build of an exported site: there it is off.)
export function sharedPromptScoring(env: Record<string, string | undefined> = typeof process === 'undefined' ? {} : process.env): boolean {
  const v = env.MM1_SHARED_PROMPT_SCORING;
  if (v === undefined || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`MM1_SHARED_PROMPT_SCORING must be 1 (score each shared prompt once) or 0 (one full pass per continuation), got '${v}'`);
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

function samePrompt(a: TokenPrompt, b: TokenPrompt): boolean {
  if (a === b) return true;
  if (a.tokens.length !== b.tokens.length || a.tokens.some((t, i) => t !== b.tokens[i])) return false;
  const ai = a.images ?? [];
  const bi = b.images ?? [];
  return ai.length === bi.length && ai.every((im, i) => im === bi[i] || (im.length === bi[i].length && im.every((x, j) => x === bi[i][j])));
}

export async function scoreSharedPrompts(runner: StepRunner, items: ScoreItem[], pad: number): Promise<ContinuationScore[]> {
  const cfg = runner.cfg;
  // Distinct prompts, and which one each item continues.
  const prompts: TokenPrompt[] = [];
  const promptOf = items.map((it) => {
    const seen = prompts.findIndex((p) => samePrompt(p, it.prompt));
    return seen >= 0 ? seen : prompts.push(it.prompt) - 1;
  });
  const img = runner.imageSlots(prompts);
  checkPrompts(prompts, img);
  items.forEach((it, b) => {
    if (it.continuation.length === 0) throw new Error(`score: item ${b} has an empty continuation`);
    const n = it.prompt.tokens.length + it.continuation.length;
    if (n > cfg.llm.maxPositions) throw new Error(`score: a prompt + continuation of ${n} tokens exceeds the model's maxPositions ${cfg.llm.maxPositions}`);
  });
  const lens = prompts.map((p) => p.tokens.length);
  const P = roundUp(Math.max(...lens), 16);
  // Continuation tokens but the last are fed after the prompt; rounded so few step shapes compile.
  const S = roundUp(Math.max(...items.map((it) => it.continuation.length)) - 1, 8);
  const maxLen = P + Math.max(S, 1);
  const V = cfg.llm.vocabSize;

  // Prefill, prompts left-padded to end at slot P − 1: its logits give each first continuation token.
  const lay = layoutRows(
    prompts.map((p) => p.tokens),
    lens,
    P,
    'left',
    pad,
    prompts,
    img,
  );
  const promptCache = new CacheState(kvCacheDims(cfg.llm, prompts.length, maxLen));
  const first = await runner.run({ B: prompts.length, S: P, N: img?.N ?? 0, maxLen, past: false }, lay.feeds, promptCache, lay.slots, lay.real);

  // One cached step over every item's continuation (its tokens but the last), at slots P, P + 1, ...
  const B = items.length;
  let rest: Float32Array | null = null;
  if (S > 0) {
    const tokens = new BigInt64Array(B * S).fill(BigInt(pad));
    const positions = new BigInt64Array(B * S);
    const slots: number[][] = [];
    const real: boolean[][] = [];
    items.forEach((it, b) => {
      for (let i = 0; i < S; i++) {
        const fed = i < it.continuation.length - 1;
        tokens[b * S + i] = BigInt(fed ? it.continuation[i] : pad);
        positions[b * S + i] = BigInt(it.prompt.tokens.length + i);
      }
      slots.push(Array.from({ length: S }, (_, i) => P + i));
      real.push(Array.from({ length: S }, (_, i) => i < it.continuation.length - 1));
    });
    const feeds: Record<string, HostTensor> = {
      tokens: { dtype: 'int64', shape: [B, S], data: tokens },
      positions: { dtype: 'int64', shape: [B, S], data: positions },
      rows: { dtype: 'int64', shape: [B * S], data: BigInt64Array.from({ length: B * S }, (_, i) => BigInt(i)) },
    };
    rest = await runner.run({ B, S, N: 0, maxLen, past: true, rows: B * S }, feeds, promptCache.gatherRows(promptOf), slots, real);
  }

  return items.map((it, b) => {
    const tokenLogProbs: number[] = [];
    let isGreedy = true;
    it.continuation.forEach((tok, i) => {
      // Token i is predicted by the prompt's last position (i = 0) or by continuation token i − 1.
      const at = i === 0 ? promptOf[b] : b * S + i - 1;
      const logits = i === 0 ? first : rest!;
      const row = logits.subarray(at * V, (at + 1) * V);
      tokenLogProbs.push(logProbOf(row, tok));
      if (argmax(row) !== tok) isGreedy = false;
    });
    return { logProb: tokenLogProbs.reduce((a, x) => a + x, 0), tokenLogProbs, isGreedy };
  });
}
