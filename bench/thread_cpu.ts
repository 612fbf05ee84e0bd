// CPU time of the calling thread alone, for timing single-threaded work (the data pipeline) on a
// shared machine. process.cpuUsage() counts every thread of the process: V8's compiler and
// garbage-collector threads, and ONNX Runtime's workers still finishing, which put up to ~30 ms
// into a 10 ms tiny-recipe batch measured right after a training step. Linux keeps each thread's
// time on a CPU in /proc/thread-self/schedstat (nanoseconds; the second field is the time it
// waited for a core, which is what load adds to wall time). Elsewhere: the process's CPU time.
import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';

function readSchedstat(): [number, number] | null {
  try {
    const [run, wait] = readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? [run / 1e6, wait / 1e6] : null;
  } catch {
    return null;
  }
}

/** Which clock threadCpuMs reads: this thread's (Linux) or the whole process's. */
export const CPU_CLOCK: 'thread' | 'process' = readSchedstat() ? 'thread' : 'process';

/** Milliseconds this thread has run on a CPU (the process's CPU time where the thread's is not available). */
export function threadCpuMs(): number {
  if (CPU_CLOCK === 'thread') {
    // Linux brings a running thread's total up to date only at scheduler ticks (4 ms apart at
    // HZ 250), so schedstat read by the thread itself is up to a tick stale: a 2 ms busy loop
    // read 0-7.3 ms. Asking for the process's CPU time first (getrusage) makes the kernel update
    // the calling thread's total; the same loop then reads 2.02 ms (session 17).
    process.cpuUsage();
    return readSchedstat()![0];
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** This thread's CPU milliseconds over fn. */
export async function threadCpuMsOf(fn: () => Promise<unknown>): Promise<number> {
  const t0 = threadCpuMs();
  await fn();
  return threadCpuMs() - t0;
}
