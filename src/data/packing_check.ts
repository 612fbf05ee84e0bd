// Asserts the PackedBatch invariants the model relies on. Cheap enough to run on every
// batch in tests and on the first batches of a run; a violation names row and position.

import { IGNORE_INDEX, type PackedBatch, type SpecialTokens } from './packed_batch.js';

export interface BatchSummary {
  /** Non-padding tokens. */
  tokens: number;
  paddingTokens: number;
  /** Positions with a target (not IGNORE_INDEX). */
  lossTokens: number;
  images: number;
}

/**
 * Throws unless: every array has its [B, T] / [B*N*crops, C, H, W] size; each row is
 * pieces with segment ids 1, 2, … then padding (segment 0, pad token, no target, index -1);
 * positions restart at 0 per piece; every run of <image> is exactly tokensPerImage long,
 * inside one piece, wrapped by <image_start>/<image_end> either always or never;
 * imageTokenIndex maps run j of row b onto rows (b*N + j)*k … +k-1 and is -1 elsewhere;
 * imageCount matches the runs and is ≤ N; unused image slots are blank; a target is either
 * IGNORE_INDEX or the next token of the same piece (the row's last token may carry its
 * document's continuation) and never a placeholder or marker.
 */
export function validatePackedBatch(batch: PackedBatch, special: SpecialTokens): BatchSummary {
  const { B, T, N, tokensPerImage: k } = batch;
  const crops = batch.cropsPerImage ?? 1;
  const [C, H, W] = batch.imageShape;
  const perImage = crops * C * H * W;
  const fail = (what: string, b?: number, t?: number): never => {
    const where = b === undefined ? '' : ` row ${b}${t === undefined ? '' : ` position ${t}`}:`;
    throw new Error(`validatePackedBatch:${where} ${what}`);
  };
  for (const name of ['tokens', 'targets', 'segments', 'positions', 'imageTokenIndex'] as const) {
    if (batch[name].length !== B * T) fail(`${name} has ${batch[name].length} entries, expected B*T = ${B * T}`);
  }
  if (batch.images.length !== B * N * perImage) fail(`images has ${batch.images.length} floats, expected ${B * N * perImage}`);
  if (batch.imageCount.length !== B) fail(`imageCount has ${batch.imageCount.length} entries, expected ${B}`);
  const reserved = new Set([special.image, special.imageStart, special.imageEnd].filter((x) => x !== undefined));
  const summary: BatchSummary = { tokens: 0, paddingTokens: 0, lossTokens: 0, images: 0 };
  let wrapped: boolean | undefined;

  for (let b = 0; b < B; b++) {
    const at = (t: number) => b * T + t;
    let n = 0;
    while (n < T && batch.segments[at(n)] !== 0) n++;
    summary.tokens += n;
    summary.paddingTokens += T - n;
    for (let t = n; t < T; t++) {
      if (batch.segments[at(t)] !== 0) fail('a piece after padding (padding must be a suffix)', b, t);
      if (batch.tokens[at(t)] !== special.pad || batch.targets[at(t)] !== IGNORE_INDEX || batch.imageTokenIndex[at(t)] !== -1 || batch.positions[at(t)] !== 0) {
        fail('padding must be pad token, IGNORE target, image index -1, position 0', b, t);
      }
    }
    let slot = 0;
    for (let t = 0; t < n; t++) {
      const seg = batch.segments[at(t)];
      const newPiece = t === 0 || seg !== batch.segments[at(t - 1)];
      if (newPiece && seg !== (t === 0 ? 1 : batch.segments[at(t - 1)] + 1)) fail(`segment ids must count up from 1, got ${seg}`, b, t);
      const expectedPos = newPiece ? 0 : batch.positions[at(t - 1)] + 1;
      if (batch.positions[at(t)] !== expectedPos) fail(`position ${batch.positions[at(t)]}, expected ${expectedPos}`, b, t);
      const tok = batch.tokens[at(t)];
      const target = batch.targets[at(t)];
      if (target !== IGNORE_INDEX) {
        summary.lossTokens++;
        if (reserved.has(target) || target < 0) fail(`target ${target} is a placeholder/marker or invalid`, b, t);
        const continuation = t === n - 1;
        if (!continuation && (target !== batch.tokens[at(t + 1)] || batch.segments[at(t + 1)] !== seg)) {
          fail(`target ${target} is not the next token of the same piece`, b, t);
        }
      }
      if (tok === special.image) {
        // Runs are consumed whole below, so any placeholder met here starts a run (without
        // markers two adjacent images make back-to-back runs; imageTokenIndex tells them apart).
        if (t + k > n) fail(`image run cut short by the row end`, b, t);
        for (let j = 0; j < k; j++) {
          if (batch.tokens[at(t + j)] !== special.image || batch.segments[at(t + j)] !== seg) fail(`image run shorter than ${k}`, b, t + j);
          if (batch.imageTokenIndex[at(t + j)] !== (b * N + slot) * k + j) {
            fail(`imageTokenIndex ${batch.imageTokenIndex[at(t + j)]}, expected ${(b * N + slot) * k + j}`, b, t + j);
          }
        }
        const hasStart = !newPiece && batch.tokens[at(t - 1)] === special.imageStart;
        const hasEnd = t + k < n && batch.tokens[at(t + k)] === special.imageEnd && batch.segments[at(t + k)] === seg;
        if (hasStart !== hasEnd) fail('image run with only one of <image_start>/<image_end>', b, t);
        if (wrapped !== undefined && wrapped !== hasStart) fail('some image runs wrapped in markers and some not', b, t);
        wrapped = hasStart;
        slot++;
        t += k - 1;
        continue;
      }
      if (batch.imageTokenIndex[at(t)] !== -1) fail(`text token with imageTokenIndex ${batch.imageTokenIndex[at(t)]}`, b, t);
      if (tok === special.imageStart && (t + 1 >= n || batch.tokens[at(t + 1)] !== special.image)) fail('<image_start> not followed by an image run', b, t);
      if (tok === special.imageEnd && (t === 0 || batch.tokens[at(t - 1)] !== special.image)) fail('<image_end> not after an image run', b, t);
    }
    if (slot !== batch.imageCount[b]) fail(`${slot} image runs but imageCount ${batch.imageCount[b]}`, b);
    if (slot > N) fail(`${slot} images exceed N = ${N}`, b);
    summary.images += slot;
    for (let s = slot; s < N; s++) {
      const from = (b * N + s) * perImage;
      for (let i = from; i < from + perImage; i++) if (batch.images[i] !== 0) fail(`unused image slot ${s} is not blank`, b);
    }
  }
  return summary;
}
