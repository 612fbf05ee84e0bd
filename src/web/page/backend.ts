// Which onnxruntime-web execution provider the page uses: WebGPU when the browser offers an
// adapter, WASM otherwise; `?backend=wasm` (or webgpu) in the URL decides instead.
import { useExecutionProviders, type ExecutionProvider } from '../browser_session.js';

export async function chooseBackend(search: string, wasmPaths: string): Promise<ExecutionProvider> {
  const forced = new URLSearchParams(search).get('backend');
  if (forced !== null && forced !== 'wasm' && forced !== 'webgpu') throw new Error(`?backend=${forced}: expected wasm or webgpu`);
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const backend: ExecutionProvider = (forced as ExecutionProvider | null) ?? (gpu && (await gpu.requestAdapter().catch(() => null)) ? 'webgpu' : 'wasm');
  // WebGPU runs what it has kernels for; onnxruntime-web places the remaining nodes on WASM.
  useExecutionProviders(backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'], wasmPaths);
  return backend;
}
