// The static KV cache of generation: keys and values [layers, B, Hkv, Tmax, Dh] live on the
// host. A decode step takes each layer's cache as an input (a zero-copy view), attends over
// it and the new token with one softmax (masked to the slots that hold real tokens), and
// returns only the new token's k/v [layers, B, Hkv, S, Dh], which the host writes at the
// token's slot. So each new token costs one step whose cost does not grow with what was
// generated, and the cache is never copied inside the graph or back out of it — measured
// on the bench model, returning the whole updated cache instead was several times slower
// at batch 8. Left padding, right padding and ragged rows are all just the host's masks.
import type { Graph, Tensor } from '../../engine/graph.js';
import type { HostTensor } from '../../engine/host_tensor.js';
import * as op from '../../engine/ops/index.js';
import type { LlmConfig } from '../build/config.js';
import { headDim, kvHeads, type LayerCache } from '../build/llm.js';

const NEG = -1e9;

export interface KvCacheDims {
  layers: number;
  batch: number;
  kvHeads: number;
  maxLen: number;
  headDim: number;
}

export function kvCacheDims(cfg: LlmConfig, batch: number, maxLen: number): KvCacheDims {
  return { layers: cfg.depth, batch, kvHeads: kvHeads(cfg), maxLen, headDim: headDim(cfg) };
}

/**
 * Graph side. With `withPast`, declares inputs cache_k.{l}, cache_v.{l} [B, Hkv, Tmax, Dh]
 * and past_mask [B, 1, S, Tmax]; `outputs()` stacks the new tokens' k/v of every layer
 * into [L, B, Hkv, S, Dh] once the decoder has run.
 */
export function stepCache(g: Graph, d: KvCacheDims, S: number, withPast: boolean): { cache: LayerCache; outputs: () => { k: Tensor; v: Tensor } } {
  const layerShape = [d.batch, d.kvHeads, d.maxLen, d.headDim];
  const pastMask = withPast ? g.input('past_mask', [d.batch, 1, S, d.maxLen]) : null;
  const past = Array.from({ length: d.layers }, (_, l) =>
    withPast ? { k: g.input(`cache_k.${l}`, layerShape), v: g.input(`cache_v.${l}`, layerShape), mask: pastMask } : null,
  );
  const newK: Tensor[] = [];
  const newV: Tensor[] = [];
  const cache: LayerCache = { past: (l) => past[l], put: (l, k, v) => ((newK[l] = k), (newV[l] = v)) };
  const stack = (xs: Tensor[]) =>
    op.concat(
      xs.map((x) => op.reshape(x, [1, ...x.shape])),
      0,
    );
  return { cache, outputs: () => ({ k: stack(newK), v: stack(newV) }) };
}

/** Host side: the cache between steps and which slots of each row hold real tokens. */
export class CacheState {
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** [B, Tmax]: 1 where the slot holds a real (non-padding) token. */
  readonly valid: Uint8Array;

  constructor(readonly dims: KvCacheDims) {
    const n = dims.layers * dims.batch * dims.kvHeads * dims.maxLen * dims.headDim;
    this.k = new Float32Array(n);
    this.v = new Float32Array(n);
    this.valid = new Uint8Array(dims.batch * dims.maxLen);
  }

  /** Per-layer views cache_k.{l} / cache_v.{l} [B, Hkv, Tmax, Dh] (no copies). */
  pastFeeds(): Record<string, HostTensor> {
    const { layers, batch, kvHeads, maxLen, headDim } = this.dims;
    const shape = [batch, kvHeads, maxLen, headDim];
    const n = batch * kvHeads * maxLen * headDim;
    const out: Record<string, HostTensor> = {};
    for (let l = 0; l < layers; l++) {
      out[`cache_k.${l}`] = { dtype: 'float32', shape, data: this.k.subarray(l * n, (l + 1) * n) };
      out[`cache_v.${l}`] = { dtype: 'float32', shape, data: this.v.subarray(l * n, (l + 1) * n) };
    }
    return out;
  }

  /**
   * Masks for a step writing S tokens per row at `slots` [B][S] (`real` false = padding,
   * never attended to): mask [B, 1, S, S] among the new tokens (slot order, each sees
   * itself), and with `withPast` past_mask [B, 1, S, Tmax] over the slots already holding
   * real tokens (a prefill takes none, and its past_mask would be as large as its mask).
   */
  masks(slots: number[][], real: boolean[][], withPast = true): { mask: HostTensor; past_mask?: HostTensor } {
    const { batch: B, maxLen: T } = this.dims;
    const S = slots[0].length;
    const mask = new Float32Array(B * S * S);
    const past = withPast ? new Float32Array(B * S * T) : null;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < S; i++) {
        if (!(slots[b][i] >= 0 && slots[b][i] < T))
          throw new Error(`KV cache: slot ${slots[b][i]} for row ${b} is outside the cache of ${T} positions; raise maxLen`);
        for (let j = 0; j < S; j++) mask[(b * S + i) * S + j] = i === j || (real[b][j] && slots[b][j] <= slots[b][i]) ? 0 : NEG;
        if (past) for (let j = 0; j < T; j++) past[(b * S + i) * T + j] = this.valid[b * T + j] ? 0 : NEG;
      }
    const maskTensor: HostTensor = { dtype: 'float32', shape: [B, 1, S, S], data: mask };
    return past ? { mask: maskTensor, past_mask: { dtype: 'float32', shape: [B, 1, S, T], data: past } } : { mask: maskTensor };
  }

  /** A cache of `rows.length` rows whose row b is a copy of this cache's row rows[b] (keys, values, valid slots). */
  gatherRows(rows: number[]): CacheState {
    const { layers, batch, kvHeads: H, maxLen: T, headDim: D } = this.dims;
    const out = new CacheState({ ...this.dims, batch: rows.length });
    rows.forEach((from, b) => {
      if (!(from >= 0 && from < batch)) throw new Error(`KV cache: row ${from} is outside the cache's ${batch} rows`);
      out.valid.set(this.valid.subarray(from * T, (from + 1) * T), b * T);
      for (let l = 0; l < layers; l++)
        for (let h = 0; h < H; h++) {
          const src = ((l * batch + from) * H + h) * T * D;
          const dst = ((l * rows.length + b) * H + h) * T * D;
          out.k.set(this.k.subarray(src, src + T * D), dst);
          out.v.set(this.v.subarray(src, src + T * D), dst);
        }
    });
    return out;
  }

  /** Copies all rows of `chunk` (same layers, heads, maxLen) into this cache's rows at, at + 1, ... (a prefill run in row chunks). */
  putRows(chunk: CacheState, at: number): void {
    const { layers, batch, kvHeads: H, maxLen: T, headDim: D } = this.dims;
    const c = chunk.dims;
    if (c.layers !== layers || c.kvHeads !== H || c.maxLen !== T || c.headDim !== D || !(at >= 0 && at + c.batch <= batch))
      throw new Error(
        `KV cache: cannot put ${c.batch} rows of [${c.layers}, ${c.kvHeads}, ${c.maxLen}, ${c.headDim}] at row ${at} of a cache of ${batch} rows of [${layers}, ${H}, ${T}, ${D}]; chunks must match the batch's cache and fit inside it`,
      );
    this.valid.set(chunk.valid, at * T);
    const rows = c.batch * H * T * D;
    for (let l = 0; l < layers; l++) {
      const to = (l * batch + at) * H * T * D;
      this.k.set(chunk.k.subarray(l * rows, (l + 1) * rows), to);
      this.v.set(chunk.v.subarray(l * rows, (l + 1) * rows), to);
    }
  }

  /**
   * Write a step's new k/v [L, B, Hkv, S, Dh] at the slots, and mark the real tokens' slots valid.
   * A row whose S slots are consecutive (every prefill, every decode step) is copied as one block
   * of S × Dh per layer and head: a prefill of 300 tokens was 300 small copies each, a measured
   * 7% of an 8-shot evaluation's main-thread time.
   */
  write(newK: HostTensor, newV: HostTensor, slots: number[][], real: boolean[][]): void {
    const { layers, batch: B, kvHeads: H, maxLen: T, headDim: D } = this.dims;
    const S = slots[0].length;
    const nk = newK.data as Float32Array;
    const nv = newV.data as Float32Array;
    for (let b = 0; b < B; b++) {
      const row = slots[b];
      for (let s = 0; s < S; s++) this.valid[b * T + row[s]] = real[b][s] ? 1 : 0;
      const consecutive = row.every((slot, s) => slot === row[0] + s);
      for (let l = 0; l < layers; l++)
        for (let h = 0; h < H; h++) {
          const from = ((l * B + b) * H + h) * S * D;
          const to = ((l * B + b) * H + h) * T * D;
          if (consecutive) {
            this.k.set(nk.subarray(from, from + S * D), to + row[0] * D);
            this.v.set(nv.subarray(from, from + S * D), to + row[0] * D);
            continue;
          }
          for (let s = 0; s < S; s++) {
            this.k.set(nk.subarray(from + s * D, from + (s + 1) * D), to + row[s] * D);
            this.v.set(nv.subarray(from + s * D, from + (s + 1) * D), to + row[s] * D);
          }
        }
    }
  }
}
