// What one ablation run is to the study framework: a plain JSON config in, metric values out.
// The framework never trains or evaluates anything itself; a Runner does (pretraining on the
// synthetic world, then the standard evaluation). Keeping that behind one function type lets
// the studies, the cache and the report be tested without training a model, and lets the job
// that trains be swapped (e.g. a remote or a faster runner) without touching the studies.
import { z } from 'zod';

/**
 * One run: nested plain JSON. The studies write recipe overrides under `model.*`, `data.*`,
 * `train.*`, `sft.*`, `eval.*`, and the framework adds the top-level `seed`.
 */
export type AblationRunConfig = Record<string, unknown>;

/** Metric values by metric key (`<task>/<measure>`, e.g. "caption/cider") and shot count ("0", "4", "8"). */
export type Metrics = Record<string, Record<string, number>>;

/**
 * Per-item scores, by metric key, shot count and item id, in the metric's points: the mean over
 * a metric's items is the metric (CIDEr and VQA accuracy are means of per-item scores). Claims
 * pair runs on these, so every run of a study must be scored on the same item ids.
 */
export type ItemScores = Record<string, Record<string, Record<string, number>>>;

export interface RunResult {
  metrics: Metrics;
  /** Wall time of the run itself (training + evaluation), used for ETAs and the report. */
  wallSeconds: number;
  /** Anything else worth keeping with the run (final loss, parameter count, ...). */
  extra?: Record<string, unknown>;
  /** What a reader of the numbers must know, e.g. "8-shot: at most 4 shots fit; using k = 4". The report lists them. */
  warnings?: string[];
  /** Per-item scores behind `metrics` (kept in <runDir>/items.json by the cache, not in result.json). */
  items?: ItemScores;
  /**
   * The fewest shots any prompt held, by metric and requested shot count, when prompts had to
   * drop shots to fit the model (absent = every prompt held what was asked). A claim leaves out
   * variants whose prompts held fewer shots than asked: they would not be compared fairly.
   */
  shotsUsed?: Record<string, Record<string, number>>;
}

/** Handed to the runner: `log` lines go to <runDir>/run.log and to the console. */
export interface RunSignal {
  log(msg: string): void;
  /**
   * A directory for a stage that several runs share when its inputs are equal (e.g. the
   * pretraining before the highres study's different fine-tunings): beside the run directories
   * in the cache, named by a hash of `stage`, `inputs` and the cache salt. The runner owns its
   * contents and must resume or reuse whatever an earlier run left there.
   */
  sharedDir(stage: string, inputs: unknown): string;
}

/**
 * Trains and evaluates one configuration inside `runDir` (which it owns: checkpoints, logs).
 * It must resume from its own checkpoints when `runDir` already holds an unfinished run, and
 * it must throw (never return) when it stops early, e.g. on Ctrl-C: whatever it returns is
 * cached as the finished run's result.
 */
export interface Runner {
  (config: AblationRunConfig, runDir: string, signal: RunSignal): Promise<RunResult>;
  /**
   * The shared stages (RunSignal.sharedDir) a run of `config` asks for, outermost first: once a
   * stage is made the run reads it and needs none listed after it (a made pretraining needs no
   * CLIP stage). Optional: `mm1 ablate --workers` uses it to start a run whose stage no other
   * worker is making rather than one that would wait; without it, runs go in plan order.
   */
  sharedStages?(config: AblationRunConfig): SharedStage[];
}

/** A stage several runs share: what `sharedDir(stage, inputs)` is called with. */
export interface SharedStage {
  stage: string;
  inputs: unknown;
}

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

const RunResultSchema = z.object({
  metrics: z.record(
    z.string().regex(/^\S+\/\S+$/, 'metric keys look like "<task>/<measure>", e.g. "caption/cider"'),
    z.record(z.string().regex(/^\d+$/, 'shot counts are keys like "0", "4", "8"'), finite),
  ),
  wallSeconds: finite.refine((s) => s >= 0, { message: 'must be >= 0' }),
  extra: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()).optional(),
  items: z.record(z.string(), z.record(z.string(), z.record(z.string(), finite))).optional(),
  shotsUsed: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())).optional(),
});

/** Validates what a runner returned (or what result.json holds); errors name the source and field. */
export function parseRunResult(raw: unknown, source: string): RunResult {
  const r = RunResultSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(
      `${source} is not a valid run result:\n${lines.join('\n')}\nExpected {metrics: {"caption/cider": {"0": 12.3, ...}, ...}, wallSeconds: number, extra?: {...}}.`,
    );
  }
  return r.data;
}
