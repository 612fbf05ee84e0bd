// engine/session.ts for the browser: the same CompiledGraph (export the graph to ONNX once,
// one session, run with host tensors), on onnxruntime-web. The site's bundle (web/bundle.ts)
// resolves every import of engine/session.js to this file, so the generator, the KV cache
// and TrainStep run unchanged in a tab. Which execution providers to try is page-wide, like
// onnxruntime-web's own `ort.env`: the page calls useExecutionProviders() before building.
import * as ort from 'onnxruntime-web';
import { checkedFeeds } from '../engine/feeds.js';
import type { Graph, Tensor } from '../engine/graph.js';
import type { HostTensor } from '../engine/host_tensor.js';
import { exportOnnx } from '../engine/onnx_export.js';

export type ExecutionProvider = 'webgpu' | 'wasm';

/** Options of engine/session.ts that mean something here (the others are accepted and ignored). */
export interface CompileOptions {
  frozen?: Map<string, HostTensor>;
  threads?: number;
  saveOnnxTo?: string;
  profilePrefix?: string;
  spinning?: boolean;
}

let providers: ExecutionProvider[] = ['wasm'];

/** Where onnxruntime-web's .wasm files are served from, and the providers to try in order. */
export function useExecutionProviders(list: ExecutionProvider[], wasmPaths: string): void {
  providers = [...list];
  ort.env.wasm.wasmPaths = wasmPaths;
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
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: providers, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    } catch (e) {
      throw new Error(`onnxruntime-web could not load graph '${g.name}' with providers [${providers}]: ${(e as Error).message}`);
    }
    return new CompiledGraph(session, inputs, Object.keys(outputs), Object.values(outputs));
  }

  async run(feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    checkedFeeds(this.inputs, feeds).forEach((h, i) => (ortFeeds[this.inputs[i].name] = new ort.Tensor(h.dtype, h.data as never, [...h.shape])));
    const result = await this.session.run(ortFeeds);
    const out: Record<string, HostTensor> = {};
    this.outputNames.forEach((name, i) => {
      // Outputs on the GPU (WebGPU) come back to the host here; the host keeps params and the KV cache.
      const r = result[name];
      out[name] = { dtype: this.outputTensors[i].dtype, shape: [...r.dims], data: r.data as HostTensor['data'] };
    });
    return out;
  }

  endProfiling(): void {}

  async release(): Promise<void> {
    await this.session.release();
  }
}
