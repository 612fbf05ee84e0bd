// One gradient rule per ONNX opType. A rule receives the forward node and the
// gradients of its outputs (null where an output does not reach the loss) and returns
// the gradients of its inputs (null for non-differentiable inputs such as indices).
import type { Node, Tensor } from './graph.js';

export type GradRule = (node: Node, outputGrads: (Tensor | null)[]) => (Tensor | null)[];

const rules = new Map<string, GradRule>();

export function registerGrad(opType: string, rule: GradRule): void {
  if (rules.has(opType)) throw new Error(`gradient rule for ${opType} registered twice`);
  rules.set(opType, rule);
}

export function gradRule(opType: string): GradRule | undefined {
  return rules.get(opType);
}
