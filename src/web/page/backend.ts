// Which onnxruntime-web execution provider the page uses: WebGPU when the browser offers an
// adapter, WASM otherwise; `?backend=wasm` (or webgpu) in the URL decides instead.
import { useExecutionProviders, type ExecutionProvider } from '../browser_session.js';

/** Picks the backend and sets it for this page's sessions; the providers are for the training worker to set too. */
export async function chooseBackend(search: string, wasmPaths: string): Promise<{ backend: ExecutionProvider; providers: ExecutionProvider[] }> {
  const forced = new URLSearchParams(search).get('backend');
  if (forced !== null && forced !== 'wasm' && forced !== 'webgpu') throw new Error(`?backend=${forced}: expected wasm or webgpu`);
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const backend: ExecutionProvider = forced ?? (gpu && (await gpu.requestAdapter().catch(() => null)) ? 'webgpu' : 'wasm');
  // WebGPU runs what it has kernels for; onnxruntime-web places the remaining nodes on WASM.
  const providers: ExecutionProvider[] = backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
  useExecutionProviders(providers, wasmPaths);
  return { backend, providers };
}
