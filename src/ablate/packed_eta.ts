// How long N workers take to finish what is left: the runs under way (each with its remaining
// seconds) and the queued runs (each with its estimated seconds), each queued run going, in the
// order the pool hands runs out, to the worker that frees up first; the ETA is when the last
// worker finishes. Dividing the remaining seconds by N reads low near the end: with one long run
// left it says half that run's time while the other worker has nothing to do. Packing in the
// pool's own order (plan order, not longest first) keeps the figure to what the pool will do.

/**
 * Seconds until `workers` workers have finished `running` (seconds left of each run under way, at
 * most one per worker) and then `queued` (seconds of each run not started, in hand-out order).
 */
export function packedSeconds(running: readonly number[], queued: readonly number[], workers: number): number {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${workers}`);
  if (running.length > workers) throw new Error(`${running.length} runs under way on ${workers} workers: each worker runs one run at a time`);
  const freeAt = [...running.map((s) => Math.max(0, s)), ...Array<number>(workers - running.length).fill(0)];
  for (const seconds of queued) {
    const first = freeAt.indexOf(Math.min(...freeAt));
    freeAt[first] += seconds;
  }
  return Math.max(...freeAt);
}
