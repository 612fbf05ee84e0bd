// Which Pythons `npm run bench` can use for its comparisons outside ONNX Runtime: numpy's GEMM
// (bench/gemm.py) and eager PyTorch (bench/pytorch_step.py). The `python3` on PATH may be a
// pyenv one with a pip numpy and no torch, while Debian's /usr/bin/python3 has python3-torch,
// so each is tried: $MM1_PYTHON first, then python3, then /usr/bin/python3.
import { spawnSync } from 'node:child_process';

/** Pythons to try, in order, without repeats: $MM1_PYTHON, python3 on PATH, Debian's /usr/bin/python3. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.MM1_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
}

/** The candidates that start, one per interpreter (a `python3` that is /usr/bin/python3 is kept once), as [command, executable]. */
export function distinctPythons(candidates = pythonCandidates()): [string, string][] {
  const seen = new Map<string, string>();
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8', timeout: 60_000 });
    const exe = r.status === 0 ? r.stdout.trim() : null;
    if (exe && !seen.has(exe)) seen.set(exe, python);
  }
  return [...seen].map(([exe, python]) => [python, exe]);
}

export type TorchPython = { python: string } | { why: string };

/** The first candidate that imports torch, or why none does (each candidate's failure named). */
export function findTorchPython(candidates = pythonCandidates()): TorchPython {
  const failures: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python };
    failures.push(`${python}: ${r.error ? 'could not be started' : 'cannot import torch'}`);
  }
  return { why: `no Python imports torch (${failures.join('; ')}); set MM1_PYTHON to one that does, or apt-get install python3-torch` };
}
