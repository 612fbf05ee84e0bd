// Attention-pooling connector (MM1 ablation; a Qwen-VL-style resampler with one layer):
// k learned queries cross-attend to the patch features with multi-head attention, then a
// LayerNorm and a Linear to the LLM width. The token count is k at every resolution.
// With hidden = C this is Qwen-VL's Resampler (visual.py) + ln_post + proj, without its 2-D
// sin-cos position embedding and with a bias on proj (test/model/connector_reference.test.ts).
import type { Graph, Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import { attend } from '../../../nn/attention.js';
import { linear } from '../../../nn/linear.js';
import { layerNormLayer } from '../../../nn/norm.js';
import type { ConnectorConfig } from '../config.js';

/** Qwen-VL's LayerNorm epsilon (its VisionTransformer's norm_layer). */
const LN_EPS = 1e-6;

/** [B, T, H*Dh] -> [B, H, T, Dh] */
const heads = (x: Tensor, h: number) => {
  const [b, t, d] = x.shape;
  return op.transpose(op.reshape(x, [b, t, h, d / h]), [0, 2, 1, 3]);
};

/** Default head count: hidden/64 (head width 64) when that divides, else a single head. */
export function attnPoolHeads(cfg: ConnectorConfig, hidden: number): number {
  const h = cfg.heads ?? (hidden % 64 === 0 ? hidden / 64 : 1);
  if (hidden % h)
    throw new Error(`connector 'attnpool': hidden width ${hidden} does not divide into ${h} heads; set connector.heads to a divisor of ${hidden}`);
  return h;
}

/** feats [N, P, C] -> [N, k, D]. */
export function attnPoolConnector(g: Graph, cfg: ConnectorConfig, feats: Tensor, _grid: number, llmWidth: number): Tensor {
  const [n, , c] = feats.shape;
  const k = cfg.tokens;
  const hidden = cfg.hidden ?? c;
  const h = attnPoolHeads(cfg, hidden);
  const queries = g.param('queries', [1, k, hidden], { kind: 'truncnormal', std: 0.02 });
  const kv = layerNormLayer(g, 'ln_kv', feats, { eps: LN_EPS }); // [N, P, C]
  const q = heads(linear(g, 'q_proj', layerNormLayer(g, 'ln_q', queries, { eps: LN_EPS }), hidden), h); // [1, H, k, Dh], shared by the batch
  const keys = heads(linear(g, 'k_proj', kv, hidden), h); // [N, H, P, Dh]
  const values = heads(linear(g, 'v_proj', kv, hidden), h);
  const ctx = op.reshape(op.transpose(attend(q, keys, values, null), [0, 2, 1, 3]), [n, k, hidden]); // [N, k, hidden]
  const out = linear(g, 'out_proj', ctx, hidden);
  return linear(g, 'proj', layerNormLayer(g, 'ln_post', out, { eps: LN_EPS }), llmWidth);
}
