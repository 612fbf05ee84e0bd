// The float32 GEMMs on this machine outside ONNX Runtime, through Python (bench/gemm.py): numpy
// in every Python found (the pyenv `python3` with a pip wheel's OpenBLAS, Debian's with the
// system libblas.so.3) and torch.mm in the Python that has torch, on ONNX Runtime's thread count,
// timed as gemmGflops times ONNX Runtime's (3 warm-up runs, median of 10). The step's FLOP/s is
// then judged against the fastest of them all, not only against the library the step runs on.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ortThreads, ortSpinning } from '../src/engine/session.js';
import { distinctPythons, findTorchPython } from './python.js';

const GEMM_PY = fileURLToPath(new URL('gemm.py', import.meta.url));

export type Rates = Record<string, number>;
/** rates: wall-time GFLOP/s; cpuRates: GFLOP per CPU-second of the process (bench/gemm.py). */
export type PythonGemm = { library: string; rates: Rates; cpuRates: Rates } | { skipped: string };

/** GFLOP/s (median of 10) of `library` in `python` at each 'MxKxN' shape, or why it could not run. */
export function pythonGemm(python: string, library: 'numpy' | 'torch', shapes: string[], threads = ortThreads()): PythonGemm {
  // The same spin-or-not choice ONNX Runtime's sessions take on this machine (OMP_WAIT_POLICY).
  const args = [GEMM_PY, '--library', library, '--threads', String(threads), '--spin', ortSpinning() ? '1' : '0', '--shapes', ...shapes];
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.error) return { skipped: `${python} could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) {
    const why = new RegExp(`No module named .${library}.`).test(r.stderr) ? `${library} is not installed there` : r.stderr.trim().split('\n').at(-1);
    return { skipped: `${python} ran but the ${library} GEMM did not: ${why}` };
  }
  const out = JSON.parse(r.stdout) as { library: string; gflops: Record<string, { median: number; per_cpu_s: number }> };
  const pick = (key: 'median' | 'per_cpu_s') => Object.fromEntries(Object.entries(out.gflops).map(([s, g]) => [s, g[key]]));
  return { library: `${out.library} in ${python}`, rates: pick('median'), cpuRates: pick('per_cpu_s') };
}

/** Every [python, library] this machine offers: numpy in each distinct Python, torch in the first that imports it. */
export function pythonGemmCandidates(): [string, 'numpy' | 'torch'][] {
  const torch = findTorchPython();
  return [
    ...distinctPythons().map(([python]): [string, 'numpy'] => [python, 'numpy']),
    ...('python' in torch ? [[torch.python, 'torch'] as [string, 'torch']] : []),
  ];
}

export type BlasGemm = { gflops: number; library: string } | { skipped: string };

/** GFLOP/s of the fastest n×n×n float32 matmul among the Python candidates, or why none could be measured. */
export function blasGemmGflops(n = 1024): BlasGemm {
  const shape = `${n}x${n}x${n}`;
  const runs = pythonGemmCandidates().map(([python, library]) => pythonGemm(python, library, [shape]));
  const ok = runs.filter((r) => 'rates' in r);
  if (!ok.length)
    return {
      skipped: runs.length
        ? runs.map((r) => ('skipped' in r ? r.skipped : '')).join('; ')
        : 'no python3 could be started; install python3 and numpy to measure the machine’s best GEMM',
    };
  const best = ok.reduce((a, b) => (b.rates[shape] > a.rates[shape] ? b : a));
  return { gflops: best.rates[shape], library: best.library };
}
