// A batch's multi-token pass (prefill, full-pass scoring) in calls of a bounded number of
// prompts. Such a call's ONNX Runtime memory is the attention scores [rows, heads, S, S] fp32
// several times over (scores, masked, softmax: ~4.5× measured at [16, 4, 976, 976]), and its
// session keeps that arena; fewer rows per call bound it while the batch still decodes as one.
// Every op of the step graph works row by row, so a row's numbers do not depend on which rows
// share its call (checked bit for bit in test/model/infer_graph_cache.test.ts and on eval
// sample files); all calls of a batch use its one padded length.

/**
 * Default budget: 64 MB of attention scores per call. At an ablation base model's 32-shot
 * prompts ([·, 4 heads, 976, 976]) that is 4 prompts per call: measured on world-vqav2
 * 32-shot × batch 16, peak RSS 1.2 GB instead of 3.6 GB and 0.6× the CPU time (docs/eval.md,
 * "Memory"); 0-16-shot prompts (S ≤ 512) still go 16 at a time.
 */
export const DEFAULT_PREFILL_MB = 64;

/** Prompts per call so that rows × heads × S² fp32 scores stay within `mb` MB (at least 1, at most B). */
export function prefillRowsFor(B: number, S: number, heads: number, mb: number = DEFAULT_PREFILL_MB): number {
  checkPrefillMb(mb);
  return Math.max(1, Math.min(B, Math.floor((mb * 2 ** 20) / (4 * heads * S * S))));
}

export function checkPrefillMb(mb: number): void {
  if (!(Number.isFinite(mb) && mb > 0))
    throw new Error(
      `prefillMB: expected a positive number of MB of attention scores per prefill call, got ${mb}; ${DEFAULT_PREFILL_MB} is the default, lower holds less memory`,
    );
}

/** [start, end) of each call over B rows, `rows` at a time (the last may be shorter). */
export function rowChunks(B: number, rows: number): Array<[number, number]> {
  if (!(Number.isSafeInteger(rows) && rows >= 1))
    throw new Error(`prefillRows: expected a whole number ≥ 1 of prompts per prefill call, got ${rows}; leave it unset to size calls by prefillMB`);
  const out: Array<[number, number]> = [];
  for (let s = 0; s < B; s += rows) out.push([s, Math.min(B, s + rows)]);
  return out;
}
