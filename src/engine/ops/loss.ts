// Cross-entropy with an ignore index, fused: ONNX SoftmaxCrossEntropyLoss forward and the
// closed-form gradient (softmax − one-hot) backward, instead of differentiating log-softmax.
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { cast, div, equal, exp, logicalNot, maximum, mul, sub, where } from './elementwise.js';
import { oneHot } from './gather.js';
import { reduceSum } from './reduce.js';
import { reshape } from './shape.js';

/**
 * Mean cross-entropy of logits [N, C] against labels [N] (int64), skipping labels equal to
 * ignoreIndex. The mean is over non-ignored labels; a batch with none gives 0, not NaN.
 */
export function crossEntropy(logits: Tensor, labels: Tensor, ignoreIndex = -100): Tensor {
  if (logits.rank !== 2) throw new Error(`crossEntropy: logits must be [N, C], got ${logits.describe()}; reshape [B, T, V] to [B*T, V]`);
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0] || labels.dtype !== 'int64')
    throw new Error(`crossEntropy: labels must be int64 [${logits.shape[0]}], got ${labels.describe()}`);
  const g = logits.graph;
  const total = g.node('SoftmaxCrossEntropyLoss', [logits, labels], [
    { shape: [], dtype: logits.dtype },
    { shape: logits.shape, dtype: logits.dtype },
  ], { reduction: 'sum', ignore_index: ignoreIndex })[0];
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
  const mask = reshape(cast(logicalNot(isIgnored), logits.dtype), [labels.shape[0], 1]);
  const dz = mul(sub(exp(logProb), oneHot(safe, logits.shape[1], logits.dtype as 'float32')), mask);
  return [mul(dz, gy!), null];
});
