// Reverse-mode automatic differentiation on the graph IR: walk the nodes that lie
// between the parameters and the loss in reverse order, apply each op's gradient rule,
// and add up gradients where a tensor feeds several consumers.
import { isFloat } from './dtype.js';
import { liveNodes, type Node, type Tensor } from './graph.js';
import { gradRule, type GradContext } from './grad_registry.js';
import { add } from './ops/elementwise.js';
import { constant } from './ops/util.js';
import { zeros } from './ops/shape.js';

export interface GradOptions {
  /**
   * Let rules use their rewritten forms (default true): the same derivative with fewer or cheaper
   * nodes (docs/performance.md, "Session 14"). False builds the plain forms, for tests that check
   * the two agree.
   */
  rewrites?: boolean;
}

/** Gradients of a scalar `loss` with respect to each of `wrt`, in order. */
export function grad(loss: Tensor, wrt: Tensor[], opts: GradOptions = {}): Tensor[] {
  if (loss.rank !== 0) throw new Error(`grad: loss must be a scalar, got ${loss.describe()}; reduce it with reduceMean/reduceSum first`);
  const g = loss.graph;
  // Nodes the loss depends on that also depend on something in `wrt` (prunes branches with
  // no parameter in them), in graph order.
  const reaches = new Set<number>(wrt.map((t) => t.id));
  const active: Node[] = [];
  for (const node of liveNodes(g, [loss])) {
    if (node.inputs.some((i) => i && reaches.has(i.id) && isFloat(i.dtype))) {
      for (const o of node.outputs) if (isFloat(o.dtype)) reaches.add(o.id);
      active.push(node);
    }
  }

  const grads = new Map<number, Tensor>();
  const accumulate = (t: Tensor, gt: Tensor) => {
    const prev = grads.get(t.id);
    grads.set(t.id, prev ? add(prev, gt) : gt);
  };
  grads.set(loss.id, constant(g, 1, loss.dtype));
  const readers = new Map<number, Node[]>();
  for (const node of active)
    for (const i of node.inputs) {
      if (!i) continue;
      const r = readers.get(i.id);
      if (r) r.push(node);
      else readers.set(i.id, [node]);
    }
  const ctx: GradContext = {
    consumers: (t) => readers.get(t.id) ?? [],
    gradOf: (t) => grads.get(t.id) ?? null,
    rewrites: opts.rewrites ?? true,
  };

  for (let k = active.length - 1; k >= 0; k--) {
    const node = active[k];
    const outGrads = node.outputs.map((o) => grads.get(o.id) ?? null);
    if (outGrads.every((x) => x === null)) continue;
    const rule = gradRule(node.opType);
    if (!rule) throw new Error(`grad: no gradient rule for ONNX op ${node.opType} (node producing ${node.outputs[0].describe()})`);
    const inGrads = rule(node, outGrads, ctx);
    node.inputs.forEach((inp, i) => {
      const gi = inGrads[i];
      if (!inp || !gi || !reaches.has(inp.id)) return;
      if (gi.shape.length !== inp.shape.length || gi.shape.some((d, j) => d !== inp.shape[j]))
        throw new Error(`grad: rule for ${node.opType} returned gradient [${gi.shape}] for input ${inp.describe()}`);
      accumulate(inp, gi);
    });
  }

  return wrt.map((t) => {
    const gt = grads.get(t.id);
    if (gt) return gt;
    // A parameter the loss does not depend on gets an explicit zero gradient.
    return zeros(t, t.shape);
  });
}
