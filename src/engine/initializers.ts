// Fan-based initialisation rules as ParamInit values (sampled by param_store.ts's fillInit).
// Fans are passed explicitly: whether a weight is stored [in, out] or [out, in] is the
// module's layout decision, and guessing fans from the shape is a classic source of bugs.
import type { ParamInit } from './graph.js';

/** Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))). */
export function xavierUniform(fanIn: number, fanOut: number, gain = 1): ParamInit {
  return { kind: 'uniform', bound: gain * Math.sqrt(6 / (fanIn + fanOut)) };
}

/** He/Kaiming normal: N(0, gain² / fanIn); gain √2 suits ReLU. For a conv, fanIn = Cin·kH·kW. */
export function kaimingNormal(fanIn: number, gain = Math.SQRT2): ParamInit {
  return { kind: 'normal', std: gain / Math.sqrt(fanIn) };
}
