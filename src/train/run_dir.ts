// A run directory holds one run: run.json (its settings), checkpoints/, log.jsonl, model/.
// Claiming it is the one place that refuses to mix two runs in a directory. The job that
// starts a run (pretrain, sft) claims its directory once, before any work — pretrain claims
// before its CLIP stage, so minutes are not spent on a directory it would then refuse — and
// hands the claim to runTraining, which trains only in a claimed directory and never claims.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestCheckpoint } from '../engine/checkpoint.js';
import { describeDifferences, settingsDiff } from './settings_diff.js';
import { withAddedSettings } from './settings_added.js';

export class ClaimedRunDir {
  /** Private: a ClaimedRunDir exists only once `claim` has checked the directory. */
  private constructor(
    readonly path: string,
    /** Saved as run.json and in every checkpoint; a resume brought the same value. */
    readonly runConfig: unknown,
  ) {}

  /** The settings a run directory was started with (its run.json), or undefined if it has none. */
  static savedConfig(out: string): unknown {
    const saved = join(out, 'run.json');
    // A run.json from before a setting existed lacks its key: it reads as what the run did then (settings_added.ts).
    return existsSync(saved) ? withAddedSettings(JSON.parse(readFileSync(saved, 'utf8'))) : undefined;
  }

  /** Refuse to mix two runs in one directory; on resume, the config must match the saved one. */
  static claim(out: string, runConfig: unknown, resume: boolean): ClaimedRunDir {
    mkdirSync(out, { recursive: true });
    const saved = join(out, 'run.json');
    const now = JSON.stringify(runConfig, null, 2) + '\n';
    if (latestCheckpoint(out) !== null) {
      if (!resume) throw new Error(`${out} already holds a run with checkpoints; pass --resume to continue it, or choose another --out`);
      const before = ClaimedRunDir.savedConfig(out);
      const diffs = before === undefined ? [] : settingsDiff(before, JSON.parse(now));
      if (diffs.length > 0)
        throw new Error(
          `--resume: these settings differ from the ones ${out} was started with (${saved}):\n${describeDifferences(diffs)}\n` +
            "Drop or correct those flags (mm1 pretrain --out DIR --resume alone continues with the run's own settings), or start a new --out.",
        );
    }
    writeFileSync(saved, now);
    return new ClaimedRunDir(out, runConfig);
  }
}
