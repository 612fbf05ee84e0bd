// A batch's multi-token pass (prefill, full-pass scoring) in calls of at most `rows` prompts.
// Such a call's ONNX Runtime memory is ~rows × heads × S² floats several times over (the
// attention scores of S padded positions), and its session keeps that arena; fewer rows per
// call bound it while the batch still decodes as one. Every op of the step graph works
// row by row, so a row's numbers do not depend on which rows share its call (checked bit for
// bit in test/model/infer_graph_cache.test.ts); all chunks use the batch's one padded length.

/** [start, end) of each call over B rows, `rows` at a time (the last may be shorter). */
export function rowChunks(B: number, rows: number | undefined): Array<[number, number]> {
  const R = rows ?? B;
  if (!(R === Infinity || (Number.isSafeInteger(R) && R >= 1)))
    throw new Error(`prefillRows: expected a whole number ≥ 1 of prompts per prefill call, got ${R}; leave it unset to prefill the whole batch at once`);
  const out: Array<[number, number]> = [];
  for (let s = 0; s < B; s += Math.min(R, B)) out.push([s, Math.min(B, s + R)]);
  return out;
}
