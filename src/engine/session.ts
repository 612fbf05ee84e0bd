// A compiled graph: exported to ONNX once, loaded into one ONNX Runtime session, run
// many times with host tensors in and out. The browser build of an exported site swaps this
// file for web/browser_session.ts (same class, onnxruntime-web), see web/bundle.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import { currentDevice, ensureDevice, executionProviders, type Device } from './device.js';
import type { Graph, Tensor } from './graph.js';
import { checkedFeeds } from './feeds.js';
import type { HostTensor } from './host_tensor.js';
import { exportOnnx } from './onnx_export.js';

export interface CompileOptions {
  /** Write the .onnx file here for inspection (e.g. with Netron). */
  saveOnnxTo?: string;
  /** Intra-op threads; default: the number of cores. */
  threads?: number;
  /** Write an ONNX Runtime profile (per-node timings, JSON) to files starting with this prefix. */
  profilePrefix?: string;
  /** Parameter values baked into the model (not fed per run); see ExportSpec.frozen. */
  frozen?: Map<string, HostTensor>;
  /** Let idle intra-op threads spin-wait for work; default: ortSpinning() (off unless MM1_ORT_SPINNING=1). */
  spinning?: boolean;
  /** Execution provider; default: the process's device (engine/device.ts: --device, MM1_DEVICE, else cpu). */
  device?: Device;
}

/**
 * ONNX Runtime's worker threads spin-wait between ops by default. mm1 turns that off unless
 * MM1_ORT_SPINNING=1: the main thread draws the next batch between steps, and spinning
 * threads take the core it needs. Measured on a 2-core machine: loaded ~10× over, spinning off
 * cut the quick start's training step to 0.71× the wall and 0.62× the CPU; idle (every other
 * process paused), whole `mm1 quickstart` runs took 291 s without spinning against 320 and
 * 302 s with it, and ~0.8 of the CPU (docs/performance.md). An earlier rule spun while the
 * 1-minute load average was below the core count, but a process's own threads count in that
 * average, so its second session often decided against itself (idle: 311 s). Outputs are
 * the same either way; only the waiting differs.
 */
export function ortSpinning(env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env.MM1_ORT_SPINNING;
  if (forced === undefined || forced === '0') return false;
  if (forced === '1') return true;
  throw new Error(`MM1_ORT_SPINNING must be 1 (spin) or 0 (do not spin), got '${forced}'; unset it for the default (no spinning)`);
}

/**
 * ONNX Runtime's intra-op threads: one per core unless MM1_ORT_THREADS says otherwise. With
 * more than one, some kernels split a sum between threads and add the parts in an order that
 * varies, so two runs of the same config on the same bytes can differ from the 6th–7th
 * significant digit on (measured at the ablation shape on 2 threads: identical losses on 1
 * thread, different from step 4 on 2; docs/reliability.md). MM1_ORT_THREADS=1 buys
 * bit-for-bit repeatable runs at the cost of the second core.
 */
export function ortThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.MM1_ORT_THREADS;
  if (forced === undefined) return os.availableParallelism();
  if (!/^[1-9]\d*$/.test(forced))
    throw new Error(`MM1_ORT_THREADS must be a whole number of threads ≥ 1, got '${forced}'; unset it to use one per core (${os.availableParallelism()})`);
  return Number(forced);
}

export class CompiledGraph {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputs: Tensor[],
    readonly outputNames: string[],
    readonly outputTensors: Tensor[],
  ) {}

  static async create(g: Graph, inputs: Tensor[], outputs: Record<string, Tensor>, opts: CompileOptions = {}): Promise<CompiledGraph> {
    const bytes = exportOnnx(g, { inputs, outputs, frozen: opts.frozen });
    if (opts.saveOnnxTo) fs.writeFileSync(opts.saveOnnxTo, bytes);
    const device = opts.device ?? currentDevice();
    await ensureDevice(device);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: opts.threads ?? ortThreads(),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionProviders: executionProviders(device),
        executionMode: 'sequential',
        extra: { session: { intra_op: { allow_spinning: (opts.spinning ?? ortSpinning()) ? '1' : '0' } } },
        ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
      });
    } catch (e) {
      throw new Error(`ONNX Runtime could not load graph '${g.name}': ${(e as Error).message}\n(pass saveOnnxTo to inspect the model)`);
    }
    return new CompiledGraph(session, inputs, Object.keys(outputs), Object.values(outputs));
  }

  /** Run once. `feeds` maps input names to host tensors; returns outputs by name. */
  async run(feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    checkedFeeds(this.inputs, feeds).forEach((h, i) => (ortFeeds[this.inputs[i].name] = new ort.Tensor(h.dtype, h.data as never, [...h.shape])));
    const result = await this.session.run(ortFeeds);
    const out: Record<string, HostTensor> = {};
    this.outputNames.forEach((name, i) => {
      const r = result[name];
      out[name] = { dtype: this.outputTensors[i].dtype, shape: [...r.dims], data: r.data as HostTensor['data'] };
    });
    return out;
  }

  /** Stop profiling and write the profile file (when created with profilePrefix). */
  endProfiling(): void {
    this.session.endProfiling();
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
