// A run directory holds one run: run.json (its settings), checkpoints/, log.jsonl, model/.
// Claiming it is the one place that refuses to mix two runs in a directory. The job that
// starts a run (pretrain, sft) claims its directory once, before any work — pretrain claims
// before its CLIP stage, so minutes are not spent on a directory it would then refuse — and
// hands the claim to runTraining, which trains only in a claimed directory and never claims.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestCheckpoint } from '../engine/checkpoint.js';
import { withSavedWorldVersion } from './world_data.js';

/** Saved settings match when equal, or equal once a pre-v2 run.json gets its world version (world_data.ts). */
function sameSettings(savedText: string, now: string): boolean {
  return savedText === now || JSON.stringify(withSavedWorldVersion(JSON.parse(savedText)), null, 2) + '\n' === now;
}

export class ClaimedRunDir {
  /** Private: a ClaimedRunDir exists only once `claim` has checked the directory. */
  private constructor(
    readonly path: string,
    /** Saved as run.json and in every checkpoint; a resume brought the same value. */
    readonly runConfig: unknown,
  ) {}

  /** Refuse to mix two runs in one directory; on resume, the config must match the saved one. */
  static claim(out: string, runConfig: unknown, resume: boolean): ClaimedRunDir {
    mkdirSync(out, { recursive: true });
    const saved = join(out, 'run.json');
    const now = JSON.stringify(runConfig, null, 2) + '\n';
    if (latestCheckpoint(out) !== null) {
      if (!resume) throw new Error(`${out} already holds a run with checkpoints; pass --resume to continue it, or choose another --out`);
      if (existsSync(saved) && !sameSettings(readFileSync(saved, 'utf8'), now))
        throw new Error(`--resume: the settings differ from the ones ${out} was started with (see ${saved}); resume with the same settings or start a new --out`);
    }
    writeFileSync(saved, now);
    return new ClaimedRunDir(out, runConfig);
  }
}
