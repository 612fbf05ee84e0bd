// The best float32 GEMM on this machine outside ONNX Runtime: numpy's (OpenBLAS or whatever
// BLAS it was built with), timed in a python3 child process exactly as gemmGflops times ONNX
// Runtime's (n×n×n, 3 warm-up runs, median of 10). The step's FLOP/s is then judged against
// the faster of the two, not only against the library the step runs on.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import sys, time
import numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(1)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
for _ in range(3): a @ b
ms = []
for _ in range(10):
    t0 = time.perf_counter(); a @ b; ms.append((time.perf_counter() - t0) * 1000)
ms.sort()
cfg = np.show_config(mode='dicts') if 'mode' in np.show_config.__code__.co_varnames else {}
blas = cfg.get('Build Dependencies', {}).get('blas', {}).get('name', 'unknown') if cfg else 'unknown'
print(f"{2 * n ** 3 / (ms[len(ms) // 2] / 1000) / 1e9:.1f} {np.__version__} {blas}")
`;

export type BlasGemm = { gflops: number; library: string } | { skipped: string };

/** GFLOP/s of numpy's n×n×n float32 matmul, or why it could not be measured. */
export function blasGemmGflops(n = 1024): BlasGemm {
  const r = spawnSync('python3', ['-c', SCRIPT, String(n)], { encoding: 'utf8', timeout: 120_000 });
  if (r.error)
    return {
      skipped: `python3 could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install python3 and numpy to measure the machine's best GEMM`,
    };
  if (r.status !== 0) {
    const why = /No module named .numpy./.test(r.stderr) ? 'numpy is not installed (pip install numpy)' : r.stderr.trim().split('\n').at(-1);
    return { skipped: `python3 ran but the GEMM did not: ${why}` };
  }
  const [gflops, version, blas] = r.stdout.trim().split(' ');
  return { gflops: Number(gflops), library: `numpy ${version} (${blas})` };
}
