// The three trainable components of MM1, told apart by parameter-name prefix, and the
// TrainStep options that freeze them or give them their own learning-rate multiplier.
import type { Tensor } from '../../engine/graph.js';
import type { ParamGroup } from '../../engine/optim.js';
import { defaultGroup } from '../../engine/train_step.js';

export const COMPONENTS = ['vision', 'connector', 'llm'] as const;
export type Component = (typeof COMPONENTS)[number];

/** The component a parameter belongs to ('vision.…', 'connector.…', 'llm.…'). */
export function componentOf(name: string): Component {
  const c = COMPONENTS.find((k) => name.startsWith(`${k}.`));
  if (!c) throw new Error(`parameter '${name}' belongs to no component: names must start with ${COMPONENTS.map((k) => `'${k}.'`).join(', ')}`);
  return c;
}

function checkNames(what: string, names: readonly string[]): void {
  for (const n of names)
    if (!(COMPONENTS as readonly string[]).includes(n)) throw new Error(`${what}: unknown component '${n}'; use one of ${COMPONENTS.join(', ')}`);
}

/** TrainStep `trainable`: every parameter except those of the frozen components. */
export function freezeFilter(frozen: readonly Component[]): (name: string) => boolean {
  checkNames('freezeFilter', frozen);
  return (name) => !frozen.includes(componentOf(name));
}

/** TrainStep `group`: the default weight-decay rule, and lrScale per component (default 1). */
export function componentLrScale(scales: Partial<Record<Component, number>>): (name: string, p: Tensor) => ParamGroup {
  checkNames('componentLrScale', Object.keys(scales));
  for (const [k, v] of Object.entries(scales))
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`componentLrScale: scale for '${k}' must be a finite number ≥ 0, got ${v}`);
  return (name, p) => ({ ...defaultGroup(name, p), lrScale: scales[componentOf(name)] ?? 1 });
}
