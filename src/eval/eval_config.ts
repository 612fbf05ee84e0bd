// `mm1 eval --config <file>`: the evaluation settings as a JSON object, with the same names as
// the flags (which win over it). Strict at every depth: a misspelt key is refused with the
// nearest valid one before the model loads.
import { z } from 'zod';
import { parseWith } from '../schema/parse.js';
import { DEFAULT_KEEP_GRAPHS } from '../model/infer/step_runner.js';
import { DEFAULT_PREFILL_MB } from '../model/infer/row_chunks.js';
import { SUITE_NAMES } from './suites.js';
import { DEFAULT_TASKS } from './tasks/index.js';

/** Task name -> its files, parts joined by ":" (as `--data NAME=SPEC`). */
const DataSpecs = z.record(z.string(), z.string());

export const EvalConfigSchema = z.strictObject({
  /** Model folder (written by `mm1 pretrain` / `mm1 sft` as <run>/model). */
  model: z.string().optional(),
  /** A suite (suites.ts): its task and shot defaults under the ones given, and its report. */
  suite: z.enum(SUITE_NAMES as [string, ...string[]]).optional(),
  /** Task or group names. */
  tasks: z
    .array(z.string())
    .min(1)
    .default([...DEFAULT_TASKS]),
  shots: z.array(z.number().int().nonnegative()).min(1).default([0, 4, 8]),
  limit: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().default(0),
  out: z.string().optional(),
  data: DataSpecs.default({}),
  shotsData: DataSpecs.default({}),
  selection: z.enum(['random', 'similar']).default('random'),
  batchSize: z.number().int().positive().default(16),
  /** Prefill graphs kept compiled at once (model/infer/graph_cache.ts): 1 holds the least memory. */
  keepGraphs: z.number().int().positive().default(DEFAULT_KEEP_GRAPHS),
  /** MB of attention scores one prefill call may hold; sets how many prompts it takes (model/infer/row_chunks.ts). */
  prefillMb: z.number().positive().default(DEFAULT_PREFILL_MB),
  /** Fail when k shots do not fit the model instead of using fewer. */
  strictShots: z.boolean().default(false),
  /** MM1's mixed-resolution few-shot prompts: a sub-image model gives only the last N pictures of
   *  each prompt all its crops, the earlier ones the overview alone (model/infer/mixed_resolution.ts).
   *  Absent: every picture all its crops. No effect on a model without sub-images. */
  highResLast: z.number().int().nonnegative().optional(),
  /** Synthetic-world version of the world tasks (1 for models trained before world v2). */
  worldVersion: z.union([z.literal(1), z.literal(2)]).default(2),
});

export type EvalConfig = z.infer<typeof EvalConfigSchema>;

export function parseEvalConfig(raw: unknown, source = 'eval config'): EvalConfig {
  return parseWith(EvalConfigSchema, raw, source, "See 'mm1 eval --help' for the fields.");
}
