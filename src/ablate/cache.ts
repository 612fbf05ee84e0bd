// Runs are cached by content: the directory name is a hash of the canonical JSON of
// {config, seed, salt}, so rerunning a study (or a bigger study sharing some variants) reuses
// every finished run, and editing a variant's config gives it a fresh directory instead of
// stale numbers. A run is finished when result.json exists; it is written atomically as the
// last step, so a run killed halfway has none and is simply rerun in the same directory,
// where the runner resumes from its own checkpoints.
//
//   <cache>/<key>/config.json   what was asked (written before the run starts)
//   <cache>/<key>/result.json   what came out (written atomically when the run completes)
//   <cache>/<key>/items.json    per-item scores (metric → shots → item id → score), written
//                               just before result.json; claims pair runs on them
//   <cache>/<key>/run.log       the runner's log lines
// <cache> is <out>/runs unless `--cache` names a directory shared by several studies: their
// common variant (the base run) then runs once for all of them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../engine/atomic_write.js';
import { mm1Version } from '../version.js';
import { canonicalJson } from './canonical_json.js';
import { parseRunResult, type AblationRunConfig, type RunResult } from './runner.js';

/** Bump when the meaning of a cached result changes in a way the version number would not show. */
export const CACHE_FORMAT = 3; // 2: evaluation items drawn by the study's eval seed, not the training seed; per-item scores kept. 3: world v2 and its eight benchmark analogues

/** The default salt: mm1's version and the cache format; `extra` lets a user force fresh runs. */
export function codeSalt(extra = ''): string {
  return `mm1@${mm1Version()}/ablate-cache-v${CACHE_FORMAT}${extra ? `/${extra}` : ''}`;
}

/** Where a study keeps its runs when no shared cache is named. */
export function defaultCacheDir(outDir: string): string {
  return join(outDir, 'runs');
}

export interface RunIdentity {
  config: AblationRunConfig;
  seed: number;
  salt: string;
}

/** 16 hex digits (64 bits) of SHA-256: plenty for a few hundred runs, short enough to read. */
export function runKey(id: RunIdentity): string {
  return createHash('sha256')
    .update(canonicalJson({ config: id.config, seed: id.seed, salt: id.salt }))
    .digest('hex')
    .slice(0, 16);
}

export class RunCache {
  /** `runsDir` holds one directory per run; a study's default is `<out>/runs` (see defaultCacheDir). */
  constructor(readonly runsDir: string) {}

  dir(key: string): string {
    return join(this.runsDir, key);
  }

  /** The finished result, or undefined when the run never completed. */
  read(key: string): RunResult | undefined {
    const file = join(this.dir(key), 'result.json');
    if (!existsSync(file)) return undefined;
    const result = parseRunResult(readRunJson(file), file);
    const itemsFile = join(this.dir(key), 'items.json');
    if (!existsSync(itemsFile)) return result;
    return parseRunResult({ ...result, items: readRunJson(itemsFile) }, itemsFile);
  }

  /**
   * Prepares the run directory and records what the run is. If the directory already holds a
   * config.json for different inputs (a hash collision, or a hand-edited file), refuses.
   */
  begin(key: string, id: RunIdentity, about: Record<string, unknown>): string {
    const dir = this.dir(key);
    const file = join(dir, 'config.json');
    mkdirSync(dir, { recursive: true });
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunIdentity>;
      if (
        canonicalJson({ config: stored.config, seed: stored.seed, salt: stored.salt }) !== canonicalJson({ config: id.config, seed: id.seed, salt: id.salt })
      ) {
        throw new Error(`${file} describes a different run than key ${key} should hold. Delete ${dir} (or use another --out) and rerun.`);
      }
      return dir;
    }
    atomicWriteFile(file, `${JSON.stringify({ ...about, config: id.config, seed: id.seed, salt: id.salt, key }, null, 2)}\n`);
    return dir;
  }

  /**
   * What `begin` recorded for `key` (config.json): the identity to rerun it by key alone, as
   * `mm1 ablate run <key>` does, plus the study, scale and variant it belongs to.
   */
  planned(key: string): { identity: RunIdentity; about: Record<string, unknown> } {
    if (!/^[0-9a-f]{16}$/.test(key)) throw new Error(`'${key}' is not a run key (16 hex digits, as \`mm1 ablate <study> --plan\` prints)`);
    const file = join(this.dir(key), 'config.json');
    if (!existsSync(file))
      throw new Error(
        `no run ${key} in ${this.runsDir}: ${file} does not exist. Print the study's plan with the same --cache first (mm1 ablate <study> --plan --cache ${this.runsDir}); it records every run it lists.`,
      );
    const { config, seed, salt, key: _key, ...about } = readRunJson(file) as Partial<RunIdentity> & Record<string, unknown>;
    if (typeof config !== 'object' || config === null || typeof seed !== 'number' || typeof salt !== 'string')
      throw new Error(`${file} lacks config, seed or salt; delete that run directory and print the plan again`);
    return { identity: { config: config, seed, salt }, about };
  }

  /** A stage shared by runs with equal `inputs` (RunSignal.sharedDir): `<cache>/<stage>-<hash>`. */
  sharedDir(stage: string, inputs: unknown, salt: string): string {
    if (!/^[a-z][a-z0-9-]*$/.test(stage)) throw new Error(`shared stage name '${stage}' must be lowercase letters, digits and '-'`);
    const hash = createHash('sha256').update(canonicalJson({ stage, inputs, salt })).digest('hex').slice(0, 16);
    return join(this.runsDir, `${stage}-${hash}`);
  }

  /** Writes items.json (when there are item scores), then result.json, which marks the run finished. */
  complete(key: string, result: RunResult): void {
    const { items, ...rest } = result;
    if (items) atomicWriteFile(join(this.dir(key), 'items.json'), `${JSON.stringify(items)}\n`);
    atomicWriteFile(join(this.dir(key), 'result.json'), `${JSON.stringify(rest, null, 2)}\n`);
  }
}

/** A JSON file of a cached run; a broken one names the file and the fix. */
function readRunJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}). Delete that run directory to rerun it.`);
  }
}
