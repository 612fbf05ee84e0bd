// One gradient rule per ONNX opType. A rule receives the forward node and the
// gradients of its outputs (null where an output does not reach the loss) and returns
// the gradients of its inputs (null for non-differentiable inputs such as indices).
import type { Node, Tensor } from './graph.js';

/**
 * What a rule may ask of the whole differentiation, for rewrites that see past their own node
 * (ops/normalize.ts's Softmax rule reads its consumer's output gradient). Rules that need
 * nothing of it ignore it.
 */
export interface GradContext {
  /** The forward nodes on the loss's path that read `t` (nodes off that path add no gradient to it). */
  consumers(t: Tensor): Node[];
  /** The gradient accumulated so far for `t`: complete for every tensor computed after the rule's node. */
  gradOf(t: Tensor): Tensor | null;
  /** False when rewrites are turned off (tests compare the two graphs): rules then use their plain form only. */
  rewrites: boolean;
}

export type GradRule = (node: Node, outputGrads: (Tensor | null)[], ctx: GradContext) => (Tensor | null)[];

const rules = new Map<string, GradRule>();

export function registerGrad(opType: string, rule: GradRule): void {
  if (rules.has(opType)) throw new Error(`gradient rule for ${opType} registered twice`);
  rules.set(opType, rule);
}

export function gradRule(opType: string): GradRule | undefined {
  return rules.get(opType);
}
