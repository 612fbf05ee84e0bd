// The optimiser update over one flat buffer per parameter group instead of one small subgraph
// per parameter. A model of ~100 parameters otherwise adds ~1,200 elementwise nodes to the
// training step (AdamW is ~12 ops a parameter), and ONNX Runtime pays a fixed cost per node
// (dispatch, and with spinning off a wake-up of its threads) that at the ablation shape came to
// more than the arithmetic. Here each group (same weight decay and LR scale) is concatenated
// into one [N] vector, updated by the same ops (updateParam), and split back. Every element
// goes through the same float32 operations in the same order as in the per-parameter update,
// so the results are bit for bit those of updateParam (test/engine/flat_update.test.ts).
import type { Tensor } from './graph.js';
import { numel } from './host_tensor.js';
import * as op from './ops/index.js';
import { type OptimizerConfig, type ParamGroup, type StepScalars, updateParam } from './optim.js';

export interface ParamUpdate {
  param: Tensor;
  state: Tensor[];
}

/** [N] view of each tensor, concatenated: the group's flat buffer. */
function flatten(xs: Tensor[]): Tensor {
  return op.concat(
    xs.map((x) => op.reshape(x, [numel(x.shape)])),
    0,
  );
}

/** The flat buffer cut back into tensors shaped like `like`. */
function unflatten(flat: Tensor, like: Tensor[]): Tensor[] {
  const parts =
    like.length === 1
      ? [flat]
      : op.split(
          flat,
          0,
          like.map((p) => numel(p.shape)),
        );
  return parts.map((part, i) => op.reshape(part, [...like[i].shape]));
}

/**
 * New parameters and optimiser state (in stateSlots order) for every parameter, in order.
 * `clipScale` (global-norm clipping's factor, or null) multiplies the gradients first, as
 * clipByGlobalNorm would.
 */
export function updateParamsFlat(
  cfg: OptimizerConfig,
  params: Tensor[],
  grads: Tensor[],
  states: Tensor[][],
  groups: ParamGroup[],
  s: StepScalars,
  clipScale: Tensor | null,
): ParamUpdate[] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const key = `${g.decay}/${g.lrScale}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), i]);
  });
  const out: ParamUpdate[] = new Array<ParamUpdate>(params.length);
  for (const members of byGroup.values()) {
    const like = members.map((i) => params[i]);
    const flatGrad = flatten(members.map((i) => grads[i]));
    const slots = states[members[0]].map((_, k) => flatten(members.map((i) => states[i][k])));
    const upd = updateParam(cfg, flatten(like), clipScale ? op.mul(flatGrad, clipScale) : flatGrad, slots, groups[members[0]], s);
    const newParams = unflatten(upd.param, like);
    const newStates = upd.state.map((st) => unflatten(st, like));
    members.forEach((i, j) => (out[i] = { param: newParams[j], state: newStates.map((st) => st[j]) }));
  }
  return out;
}
