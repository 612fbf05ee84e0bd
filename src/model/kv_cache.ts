// A static KV cache for generation: keys and values [layers, B, Hkv, Tmax, Dh] are fed into
// the step graph and returned updated, so the graph keeps one static shape and each new
// token costs one step over Tmax cached positions. Each step writes its tokens' k/v at
// given slots (ScatterElements); the host tracks which slots hold real tokens and builds
// the additive mask, so left padding, right padding and per-row lengths are all just masks.
import type { Graph, Tensor } from '../engine/graph.js';
import { zerosHost, type HostTensor } from '../engine/host_tensor.js';
import * as op from '../engine/ops/index.js';
import type { LlmConfig } from './config.js';
import { headDim, kvHeads, type LayerKv } from './llm.js';

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

export const cacheShape = (d: KvCacheDims) => [d.layers, d.batch, d.kvHeads, d.maxLen, d.headDim];

/**
 * Graph side. Declares inputs cache_k, cache_v [L, B, Hkv, Tmax, Dh]; `kv` writes each
 * layer's new k/v [B, Hkv, S, Dh] at `slots` [B, S] and attends over the whole layer
 * cache; `outputs()` gives the updated caches once every layer has run.
 */
export function staticKvCache(g: Graph, d: KvCacheDims, slots: Tensor): { kv: LayerKv; outputs: () => { k: Tensor; v: Tensor } } {
  const shape = cacheShape(d);
  const cacheK = g.input('cache_k', shape);
  const cacheV = g.input('cache_v', shape);
  const [b, s] = slots.shape;
  const layerShape = shape.slice(1);
  const index = op.expand(op.reshape(slots, [b, 1, s, 1]), [b, d.kvHeads, s, d.headDim]);
  const newK: Tensor[] = [];
  const newV: Tensor[] = [];
  const write = (cache: Tensor, l: number, x: Tensor) => op.scatterElements(op.reshape(op.slice(cache, 0, l, l + 1), layerShape), index, x, 2);
  const kv: LayerKv = (l, k, v) => {
    newK[l] = write(cacheK, l, k);
    newV[l] = write(cacheV, l, v);
    return { k: newK[l], v: newV[l] };
  };
  const stack = (xs: Tensor[]) => op.concat(xs.map((x) => op.reshape(x, [1, ...layerShape])), 0);
  return { kv, outputs: () => ({ k: stack(newK), v: stack(newV) }) };
}

/** Host side: the cache tensors between steps and which slots of each row hold real tokens. */
export class CacheState {
  k: HostTensor;
  v: HostTensor;
  /** [B, Tmax]: 1 where the slot holds a real (non-padding) token. */
  readonly valid: Uint8Array;

  constructor(readonly dims: KvCacheDims) {
    this.k = zerosHost('float32', cacheShape(dims));
    this.v = zerosHost('float32', cacheShape(dims));
    this.valid = new Uint8Array(dims.batch * dims.maxLen);
  }

  /**
   * Feeds for a step writing S tokens per row: slots [B, S] and the mask [B, 1, S, Tmax]
   * (query at slot s sees real slots j ≤ s). `real[b][i]` false marks padding, which is
   * written but never attended to.
   */
  stepFeeds(slots: number[][], real: boolean[][]): { slots: HostTensor; mask: HostTensor } {
    const { batch: B, maxLen: T } = this.dims;
    const S = slots[0].length;
    const slotData = new BigInt64Array(B * S);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < S; i++) {
        const s = slots[b][i];
        if (!(s >= 0 && s < T)) throw new Error(`KV cache: slot ${s} for row ${b} is outside the cache of ${T} positions; raise maxLen`);
        slotData[b * S + i] = BigInt(s);
        this.valid[b * T + s] = real[b][i] ? 1 : 0;
      }
    const mask = new Float32Array(B * S * T);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < S; i++)
        for (let j = 0; j < T; j++) mask[(b * S + i) * T + j] = this.valid[b * T + j] && j <= slots[b][i] ? 0 : NEG;
    return { slots: { dtype: 'int64', shape: [B, S], data: slotData }, mask: { dtype: 'float32', shape: [B, 1, S, T], data: mask } };
  }
}
