// Optimisers as graph ops: the update is part of the training-step graph, so one ONNX
// Runtime call does forward, backward and update. The learning rate and the bias
// corrections are scalar inputs, so schedules live in TypeScript.
import type { Graph, Tensor } from './graph.js';
import * as op from './ops/index.js';

export interface AdamWConfig {
  kind: 'adamw';
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface SgdConfig {
  kind: 'sgd';
  momentum?: number;
  weightDecay?: number;
}

export type OptimizerConfig = AdamWConfig | SgdConfig;

/**
 * The one home of AdamW's defaults (TrainStep's bias corrections read the betas from here).
 * β2 = 0.95 and weight decay 0.1 are mm1's choices (p ← p − lr·0.1·p each step is MM1's
 * λ = 0.1·η); β1 and ε are PyTorch's `torch.optim.AdamW` defaults.
 */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 } as const;

/** AdamW's constants with the defaults filled in. */
export function adamwConstants(cfg: AdamWConfig): Required<Omit<AdamWConfig, 'kind'>> {
  return {
    beta1: cfg.beta1 ?? ADAMW_DEFAULTS.beta1,
    beta2: cfg.beta2 ?? ADAMW_DEFAULTS.beta2,
    eps: cfg.eps ?? ADAMW_DEFAULTS.eps,
    weightDecay: cfg.weightDecay ?? ADAMW_DEFAULTS.weightDecay,
  };
}

/** Per-parameter settings: decay only where wanted (not norms/biases), LR multipliers per component. */
export interface ParamGroup {
  decay: boolean;
  lrScale: number;
}

/** Names of the optimiser-state slots each parameter needs. */
export function stateSlots(cfg: OptimizerConfig): string[] {
  return cfg.kind === 'adamw' ? ['m', 'v'] : (cfg.momentum ?? 0) > 0 ? ['momentum'] : [];
}

/** Scalar inputs every step graph takes. */
export interface StepScalars {
  lr: Tensor;
  /** 1 − β1^t and 1 − β2^t, computed on the host (AdamW only; ignored by SGD). */
  biasCorrection1: Tensor;
  biasCorrection2: Tensor;
}

export function declareStepScalars(g: Graph): StepScalars {
  return { lr: g.input('lr', []), biasCorrection1: g.input('bias_correction1', []), biasCorrection2: g.input('bias_correction2', []) };
}

/** Global-norm clipping: scale all gradients by min(1, maxNorm / ‖g‖). Returns the clipped grads and the pre-clip norm. */
export function clipByGlobalNorm(grads: Tensor[], maxNorm: number | null): { grads: Tensor[]; norm: Tensor } {
  const sq = grads.map((gr) => op.reduceSum(op.mul(gr, gr)));
  const norm = op.sqrt(sq.reduce((a, b) => op.add(a, b)));
  if (maxNorm === null) return { grads, norm };
  const scale = op.div(maxNorm, op.maximum(norm, maxNorm));
  return { grads: grads.map((gr) => op.mul(gr, scale)), norm };
}

/** One update: returns the new parameter and the new state tensors (in stateSlots order). */
export function updateParam(
  cfg: OptimizerConfig,
  p: Tensor,
  grad: Tensor,
  state: Tensor[],
  group: ParamGroup,
  s: StepScalars,
): { param: Tensor; state: Tensor[] } {
  const lr = group.lrScale === 1 ? s.lr : op.mul(s.lr, group.lrScale);
  const wd = group.decay ? (cfg.kind === 'adamw' ? adamwConstants(cfg).weightDecay : (cfg.weightDecay ?? 0)) : 0;
  // Decoupled weight decay (AdamW; also used for SGD here): p ← p − lr·wd·p.
  const decayed = wd > 0 ? op.sub(p, op.mul(op.mul(lr, wd), p)) : p;
  if (cfg.kind === 'adamw') {
    const { beta1: b1, beta2: b2, eps } = adamwConstants(cfg);
    const [m, v] = state;
    const m2 = op.add(op.mul(m, b1), op.mul(grad, 1 - b1));
    const v2 = op.add(op.mul(v, b2), op.mul(op.mul(grad, grad), 1 - b2));
    const denom = op.add(op.sqrt(op.div(v2, s.biasCorrection2)), eps);
    const stepSize = op.div(lr, s.biasCorrection1);
    return { param: op.sub(decayed, op.mul(op.div(m2, denom), stepSize)), state: [m2, v2] };
  }
  const mom = cfg.momentum ?? 0;
  if (mom > 0) {
    const buf = op.add(op.mul(state[0], mom), grad);
    return { param: op.sub(decayed, op.mul(buf, lr)), state: [buf] };
  }
  return { param: op.sub(decayed, op.mul(grad, lr)), state: [] };
}
