// Cross-entropy with an ignore index, fused: ONNX SoftmaxCrossEntropyLoss forward and the
// closed-form gradient (softmax − one-hot) backward, instead of differentiating log-softmax.
// The one-hot is never materialised: −1 is scattered into the softmax at each label, which
// saves two full passes over the [N, C] logits (they dominate the LM head's backward).
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { cast, div, equal, exp, logicalNot, maximum, mul, where } from './elementwise.js';
import { scatterElements } from './gather.js';
import { constant } from './util.js';
import { reduceSum } from './reduce.js';
import { expand, reshape } from './shape.js';

/**
 * Mean cross-entropy of logits [N, C] against labels [N] (int64), skipping labels equal to
 * ignoreIndex. The mean is over non-ignored labels; a batch with none gives 0, not NaN.
 */
export function crossEntropy(logits: Tensor, labels: Tensor, ignoreIndex = -100): Tensor {
  if (logits.rank !== 2) throw new Error(`crossEntropy: logits must be [N, C], got ${logits.describe()}; reshape [B, T, V] to [B*T, V]`);
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0] || labels.dtype !== 'int64')
    throw new Error(`crossEntropy: labels must be int64 [${logits.shape[0]}], got ${labels.describe()}`);
  const g = logits.graph;
  const total = g.node(
    'SoftmaxCrossEntropyLoss',
    [logits, labels],
    [
      { shape: [], dtype: logits.dtype },
      { shape: logits.shape, dtype: logits.dtype },
    ],
    { reduction: 'sum', ignore_index: ignoreIndex },
  )[0];
  return div(total, tokenCount(labels, ignoreIndex, logits.dtype as 'float32' | 'float64'));
}

/** max(1, number of labels that are not ignoreIndex), as a float scalar. */
export function tokenCount(labels: Tensor, ignoreIndex: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const valid = cast(logicalNot(equal(labels, ignoreIndex)), dtype);
  return maximum(reduceSum(valid), 1);
}

registerGrad('SoftmaxCrossEntropyLoss', (n, [gy]) => {
  const [logits, labels] = n.inputs as Tensor[];
  const ignore = n.attrs.ignore_index as number;
  const logProb = n.outputs[1];
  const isIgnored = equal(labels, ignore);
  const safe = where(isIgnored, 0, labels);
  const rows = labels.shape[0];
  // Per-row factor: the incoming gradient where the label counts, 0 where it is ignored. [N, 1]
  const scale = mul(reshape(cast(logicalNot(isIgnored), logits.dtype), [rows, 1]), gy!);
  const minusOne = expand(constant(logits.graph, -1, logits.dtype), [rows, 1]);
  const softmaxMinusOneHot = scatterElements(exp(logProb), reshape(safe, [rows, 1]), minusOne, 1, 'add');
  return [mul(softmaxMinusOneHot, scale), null];
});
