// Index ops: gather (embedding lookup), one-hot. Gradients scatter-add back into the table.
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { normAxis } from './util.js';
import { cast } from './elementwise.js';
import { reshape, zeros } from './shape.js';

/** table.take(indices, axis): out shape = table.shape[:axis] + indices.shape + table.shape[axis+1:]. */
export function gather(table: Tensor, indices: Tensor, axis = 0): Tensor {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') throw new Error(`gather: indices must be int64 or int32, got ${indices.describe()}`);
  const a = normAxis('gather', axis, table.rank);
  const shape = [...table.shape.slice(0, a), ...indices.shape, ...table.shape.slice(a + 1)];
  return table.graph.node('Gather', [table, indices], [{ shape, dtype: table.dtype }], { axis: a })[0];
}

registerGrad('Gather', (n, [gy]) => {
  const [table, indices] = n.inputs as Tensor[];
  if (n.attrs.axis !== 0) throw new Error(`gather: gradient is implemented for axis 0 only (got axis ${n.attrs.axis})`);
  const g = table.graph;
  const rows = indices.shape.reduce((p, d) => p * d, 1);
  const rest = table.shape.slice(1);
  const idx = reshape(cast(indices, 'int64'), [rows, 1]);
  const upd = reshape(gy!, [rows, ...rest]);
  const out = g.node('ScatterND', [zeros(table, table.shape), idx, upd], [{ shape: table.shape, dtype: table.dtype }], { reduction: 'add' })[0];
  return [out, null];
});

/**
 * data with updates written (or, with reduction 'add', added) at `indices` along `axis`
 * (ONNX ScatterElements); indices and updates share one shape. No gradient rule: used
 * inside gradient rules (the cross-entropy backward) and inference graphs.
 */
export function scatterElements(data: Tensor, indices: Tensor, updates: Tensor, axis: number, reduction: 'none' | 'add' = 'none'): Tensor {
  const a = normAxis('scatterElements', axis, data.rank);
  if (indices.dtype !== 'int64' || indices.rank !== data.rank || updates.shape.some((d, i) => d !== indices.shape[i]) || updates.dtype !== data.dtype)
    throw new Error(
      `scatterElements: indices (int64) and updates must share one shape of data's rank, got data ${data.describe()}, indices ${indices.describe()}, updates ${updates.describe()}`,
    );
  return data.graph.node('ScatterElements', [data, indices, updates], [{ shape: data.shape, dtype: data.dtype }], { axis: a, reduction })[0];
}
