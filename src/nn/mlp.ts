// Feed-forward blocks: the transformer MLP (ViT) and SwiGLU (Llama).
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';
import { linear } from './linear.js';

export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'silu' | 'relu';

export function activate(x: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'gelu':
      return op.gelu(x);
    case 'gelu_tanh':
      return op.geluTanh(x);
    case 'quick_gelu':
      // OpenAI CLIP: x·σ(1.702x).
      return op.mul(x, op.sigmoid(op.mul(x, 1.702)));
    case 'silu':
      return op.silu(x);
    case 'relu':
      return op.relu(x);
  }
}

/** fc1 -> activation -> fc2 (CLIP/ViT naming). */
export function mlp(g: Graph, name: string, x: Tensor, hidden: number, act: Activation, bias = true): Tensor {
  const d = x.shape[x.rank - 1];
  return g.scope(name, () => linear(g, 'fc2', activate(linear(g, 'fc1', x, hidden, { bias }), act), d, { bias }));
}

/** SwiGLU: down(silu(gate(x)) * up(x)) (Llama naming). */
export function swiglu(g: Graph, name: string, x: Tensor, hidden: number, bias = false): Tensor {
  const d = x.shape[x.rank - 1];
  return g.scope(name, () => {
    const gate = op.silu(linear(g, 'gate_proj', x, hidden, { bias }));
    return linear(g, 'down_proj', op.mul(gate, linear(g, 'up_proj', x, hidden, { bias })), d, { bias });
  });
}
