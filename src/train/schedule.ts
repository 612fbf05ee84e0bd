// Learning-rate schedules as pure functions of the step (0-based: the LR used by update #step).
// Warmup is linear and reaches the peak on its last step, (step + 1) / warmupSteps, so no
// step is wasted at LR 0. MM1 pre-training: cosine to 10% of peak after 2000 warmup steps.

export type LrSchedule =
  | { kind: 'constant'; peak: number; warmupSteps?: number }
  | { kind: 'cosine'; peak: number; warmupSteps: number; totalSteps: number; /** Final LR as a fraction of peak, e.g. 0.1. */ minRatio: number };

export function learningRate(schedule: LrSchedule, step: number): number {
  if (!Number.isInteger(step) || step < 0) throw new Error(`learningRate: step must be an integer ≥ 0, got ${step}`);
  const warmup = schedule.warmupSteps ?? 0;
  if (step < warmup) return (schedule.peak * (step + 1)) / warmup;
  if (schedule.kind === 'constant') return schedule.peak;
  const { peak, totalSteps, minRatio } = schedule;
  if (totalSteps <= warmup) throw new Error(`learningRate: totalSteps (${totalSteps}) must exceed warmupSteps (${warmup})`);
  // progress runs 0 → 1 over the steps after warmup; the LR sits at the floor afterwards.
  const progress = Math.min(1, (step - warmup) / (totalSteps - warmup));
  const floor = peak * minRatio;
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** MM1's fitted peak LR for a model of `numParams` parameters: η = exp(−0.4214·ln N − 0.5535). */
export function mm1PeakLr(numParams: number): number {
  return Math.exp(-0.4214 * Math.log(numParams) - 0.5535);
}

/** MM1's weight decay: λ = 0.1·η. */
export function mm1WeightDecay(numParams: number): number {
  return 0.1 * mm1PeakLr(numParams);
}
