"""float32 GEMM rate of numpy or torch at given shapes, for bench/blas.ts's "best GEMM on the machine".

Each M×K×N shape (A [M, K] @ B [K, N]) is timed as bench/engine.ts times ONNX Runtime's:
3 warm-up runs, then the median and the best of 10 by wall time, and FLOPs per CPU-second of the
call that took least CPU (process CPU time, all threads: on a loaded machine this measures the
kernel, wall time does not; the least, because some calls pay erratic host costs on a busy machine). Threads: OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS (and torch.set_num_threads) are set to --threads before the library loads.

  python3 bench/gemm.py --library numpy --threads 2 --shapes 1024x1024x1024 2048x256x704
prints one JSON line: {"library": "...", "threads": n, "gflops": {"MxKxN": {"median": g, "best": g, "per_cpu_s": g}}}
"""

import argparse
import json
import os
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--library", choices=["numpy", "torch"], required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--spin", type=int, choices=[0, 1], default=1, help="0: OMP_WAIT_POLICY=PASSIVE (see pytorch_step.py)")
parser.add_argument("--shapes", nargs="+", required=True, help="MxKxN")
args = parser.parse_args()

os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
if not args.spin:
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

import numpy as np  # noqa: E402


def blas_of_process():
    """The BLAS libraries this process mapped, resolved (which libblas.so.3 Debian's alternative picked)."""
    with open("/proc/self/maps") as f:
        libs = {os.path.realpath(line.split()[-1]) for line in f if "blas" in line.split()[-1]}
    return ", ".join(sorted(os.path.basename(p) for p in libs)) or "none mapped"


if args.library == "torch":
    import torch

    torch.set_num_threads(args.threads)
    matmul, make = torch.mm, lambda m, n: torch.randn(m, n)
    name = f"torch {torch.__version__} torch.mm"
else:
    rng = np.random.default_rng(1)
    matmul, make = np.matmul, lambda m, n: rng.standard_normal((m, n), dtype=np.float32)
    name = f"numpy {np.__version__} matmul"

out = {}
for shape in args.shapes:
    m, k, n = (int(x) for x in shape.split("x"))
    a, b = make(m, k), make(k, n)
    for _ in range(3):
        matmul(a, b)
    ms, cpu = [], []
    for _ in range(10):
        t0, c0 = time.perf_counter(), time.process_time()
        matmul(a, b)
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    ms.sort()
    cpu.sort()
    rate = lambda t: round(2 * m * k * n / (max(t, 1e-3) / 1000) / 1e9, 1)  # noqa: E731
    out[shape] = {"median": rate(ms[len(ms) // 2]), "best": rate(ms[0]), "per_cpu_s": rate(cpu[0])}
print(json.dumps({"library": f"{name} ({blas_of_process()})", "threads": args.threads, "gflops": out}))
