// The compiled step graphs of one StepRunner, by shape, with a cap on the multi-token ones.
// Each compiled graph is an ONNX Runtime session whose memory arena grows to that shape's
// working set and never shrinks; a prefill at [16 prompts, 976 tokens] holds ~0.9 GB. An
// evaluation meets a new prompt length every few batches, so an unbounded cache kept one
// arena per length: 17 sessions and 11.3 GB at 8/16/32 shots (docs/eval.md, "Memory").
// So at most `maxMultiToken` graphs with S > 1 (prefills, scoring passes) are kept, least
// recently used out; one-token decode graphs (a few MB each, one per batch size) always stay.
// Each one released and met again is compiled and its arena grown again (the default, 2, and why: step_runner.ts).
// An evicted graph still running (concurrent callers) is released when its run ends.

/** What the cache needs of a compiled graph. */
export interface Releasable {
  release(): Promise<void>;
}

interface Entry<G> {
  graph: Promise<G>;
  multiToken: boolean;
  busy: number;
  evicted: boolean;
}

export class GraphCache<G extends Releasable> {
  /** Map order is use order: a used entry is moved to the end. */
  private readonly entries = new Map<string, Entry<G>>();
  /** Multi-token graphs compiled so far, counting recompiles of evicted shapes (for reports and tests). */
  compiled = 0;

  constructor(readonly maxMultiToken: number) {
    if (!(Number.isSafeInteger(maxMultiToken) && maxMultiToken >= 1))
      throw new Error(
        `keepGraphs: expected a whole number ≥ 1 of prefill graphs to keep compiled, got ${maxMultiToken}; use 1 (least memory) or more to trade memory for fewer recompiles`,
      );
  }

  /** Shapes currently compiled, oldest use first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Runs `use` on the graph for `key` (compiled by `make` on first use or after eviction).
   * `multiToken` graphs beyond the cap are evicted, least recently used first, before a new one is compiled.
   */
  async with<T>(key: string, multiToken: boolean, make: () => Promise<G>, use: (g: G) => Promise<T>): Promise<T> {
    let e = this.entries.get(key);
    let freed: Promise<void> = Promise.resolve();
    if (e) this.entries.delete(key);
    else {
      // Chosen and removed before anything is awaited, so concurrent callers see one consistent cache.
      if (multiToken) freed = this.evict(this.maxMultiToken - 1);
      e = { graph: make(), multiToken, busy: 0, evicted: false };
      if (multiToken) this.compiled++;
    }
    this.entries.set(key, e);
    e.busy++;
    try {
      await freed;
      return await use(await e.graph);
    } catch (err) {
      // A shape that failed to compile is not kept: the next call tries again and reports its own error.
      if (this.entries.get(key) === e && (await settled(e.graph)) === undefined) this.entries.delete(key);
      throw err;
    } finally {
      e.busy--;
      if (e.evicted && e.busy === 0) await releaseEntry(e);
    }
  }

  /** Release multi-token graphs, oldest use first, until at most `keep` remain. */
  private evict(keep: number): Promise<void> {
    const multi = [...this.entries].filter(([, e]) => e.multiToken);
    const idle: Entry<G>[] = [];
    for (const [key, e] of multi.slice(0, Math.max(0, multi.length - keep))) {
      this.entries.delete(key);
      e.evicted = true;
      if (e.busy === 0) idle.push(e);
    }
    return Promise.all(idle.map(releaseEntry)).then(() => undefined);
  }

  async release(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) {
      e.evicted = true;
      if (e.busy === 0) await releaseEntry(e);
    }
  }
}

/** The graph, or undefined when it failed to compile. */
async function settled<G>(p: Promise<G>): Promise<G | undefined> {
  return p.catch(() => undefined);
}

/** Frees a graph's session; one that never compiled has nothing to free. */
async function releaseEntry<G extends Releasable>(e: Entry<G>): Promise<void> {
  await (await settled(e.graph))?.release();
}
