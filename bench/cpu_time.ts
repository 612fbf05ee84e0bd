// What one piece of work cost, measured two ways: wall milliseconds, and CPU milliseconds of this
// process over every thread (ONNX Runtime's, libvips', V8's). On a shared machine the CPU time is
// the work itself, where wall time adds the wait for a core, so the benches report both.

/** Runs `fn` once and returns its result with the wall and CPU milliseconds it took. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}
