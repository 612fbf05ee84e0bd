// A whole training step as one ONNX graph: loss, gradients, clipping and optimiser
// update. Parameters and optimiser state go in as inputs and come back as outputs;
// this class keeps them on the host between steps.
import type { Graph, Tensor } from './graph.js';
import { grad } from './autodiff.js';
import { type HostTensor, zerosHost } from './host_tensor.js';
import { adamwConstants, clipByGlobalNorm, declareStepScalars, type OptimizerConfig, type ParamGroup, stateSlots, updateParam } from './optim.js';
import type { ParamValues } from './param_store.js';
import { CompiledGraph, type CompileOptions } from './session.js';
import { checkFinite } from './finite.js';

export interface TrainStepOptions extends CompileOptions {
  optimizer: OptimizerConfig;
  /** Parameters to train; the others are frozen (fed, never updated). Default: all. */
  trainable?: (name: string) => boolean;
  /** Weight decay and LR multiplier per parameter. Default: decay on rank ≥ 2 tensors, lrScale 1. */
  group?: (name: string, p: Tensor) => ParamGroup;
  clipNorm?: number | null;
  /** Extra scalars to report each step (e.g. accuracy). */
  metrics?: Record<string, Tensor>;
}

export interface StepResult {
  loss: number;
  gradNorm: number;
  metrics: Record<string, number>;
}

export const defaultGroup = (_name: string, p: Tensor): ParamGroup => ({ decay: p.rank >= 2, lrScale: 1 });

export class TrainStep {
  step = 0;
  private constructor(
    private readonly compiled: CompiledGraph,
    readonly params: ParamValues,
    readonly state: Map<string, HostTensor>,
    private readonly trainable: Tensor[],
    private readonly slots: string[],
    private readonly dataInputs: Tensor[],
    private readonly optimizer: OptimizerConfig,
    private readonly metricNames: string[],
  ) {}

  static async create(g: Graph, loss: Tensor, params: ParamValues, opts: TrainStepOptions): Promise<TrainStep> {
    const isTrainable = opts.trainable ?? (() => true);
    const trainable = g.params.filter((p) => isTrainable(p.name));
    if (trainable.length === 0) throw new Error('TrainStep: no trainable parameters (check the freeze settings)');
    const dataInputs = [...g.inputs];
    const scalars = declareStepScalars(g);
    const slots = stateSlots(opts.optimizer);
    const stateInputs = trainable.map((p) => slots.map((s) => g.input(`state.${s}.${p.name}`, p.shape)));
    const { grads, norm } = clipByGlobalNorm(grad(loss, trainable), opts.clipNorm ?? null);
    const outputs: Record<string, Tensor> = { loss, grad_norm: norm };
    trainable.forEach((p, i) => {
      const upd = updateParam(opts.optimizer, p, grads[i], stateInputs[i], (opts.group ?? defaultGroup)(p.name, p), scalars);
      outputs[`new.${p.name}`] = upd.param;
      slots.forEach((s, k) => (outputs[`new.state.${s}.${p.name}`] = upd.state[k]));
    });
    for (const [k, t] of Object.entries(opts.metrics ?? {})) outputs[`metric.${k}`] = t;
    const inputs = [...dataInputs, scalars.lr, scalars.biasCorrection1, scalars.biasCorrection2, ...g.params, ...stateInputs.flat()];
    const compiled = await CompiledGraph.create(g, inputs, outputs, opts);
    for (const p of g.params) if (!params.has(p.name)) throw new Error(`TrainStep: no value for parameter '${p.name}'`);
    const state = new Map<string, HostTensor>();
    for (const p of trainable) for (const s of slots) state.set(`${s}.${p.name}`, zerosHost('float32', [...p.shape]));
    return new TrainStep(compiled, params, state, trainable, slots, dataInputs, opts.optimizer, Object.keys(opts.metrics ?? {}));
  }

  /** Run one step on `data` (feeds for the graph's data inputs) with learning rate `lr`. */
  async run(data: Record<string, HostTensor>, lr: number): Promise<StepResult> {
    const t = this.step + 1;
    const cfg = this.optimizer;
    const { beta1: b1, beta2: b2 } = cfg.kind === 'adamw' ? adamwConstants(cfg) : { beta1: 0, beta2: 0 };
    const scalar = (v: number): HostTensor => ({ dtype: 'float32', shape: [], data: Float32Array.of(v) });
    const feeds: Record<string, HostTensor> = { lr: scalar(lr), bias_correction1: scalar(1 - b1 ** t), bias_correction2: scalar(1 - b2 ** t) };
    for (const d of this.dataInputs) feeds[d.name] = data[d.name];
    for (const [name, v] of this.params) feeds[name] = v;
    for (const [name, v] of this.state) feeds[`state.${name}`] = v;
    const out = await this.compiled.run(feeds);
    const loss = Number(out.loss.data[0]);
    const gradNorm = Number(out.grad_norm.data[0]);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      // Stop before the bad values reach the parameters. Name the first updated parameter
      // that went bad (where the divergence shows), else the loss or the gradient norm.
      const updated: Record<string, HostTensor> = {};
      for (const p of this.trainable) updated[p.name] = out[`new.${p.name}`];
      checkFinite(t, updated);
      checkFinite(t, { loss: out.loss, grad_norm: out.grad_norm });
    }
    for (const p of this.trainable) {
      this.params.set(p.name, out[`new.${p.name}`]);
      for (const s of this.slots) this.state.set(`${s}.${p.name}`, out[`new.state.${s}.${p.name}`]);
    }
    this.step = t;
    const metrics: Record<string, number> = {};
    for (const k of this.metricNames) metrics[k] = Number(out[`metric.${k}`].data[0]);
    return { loss, gradNorm, metrics };
  }

  /** Stop ONNX Runtime's profiler and write its file (when created with profilePrefix). */
  endProfiling(): void {
    this.compiled.endProfiling();
  }

  async release(): Promise<void> {
    await this.compiled.release();
  }
}
