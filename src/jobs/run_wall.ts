// A run's wall time across its attempts. A study run stopped by a session's end resumes from its
// checkpoints in the next session; timed from the last start only, it reported the resumed part
// (session 12: two mixture runs of ~30 min said 8 and 11), and the report's "sum over runs"
// undercounted. The time so far goes to <runDir>/wall.json every `everyMs`, so a process killed
// mid-run loses at most that much of it; the gap between attempts is not counted.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteFile } from '../engine/atomic_write.js';
import { readJsonFile } from '../schema/read_json_file.js';

export const RUN_WALL_FILE = 'wall.json';

const WallRecordSchema = z.object({
  /** Seconds spent in this run's attempts so far. */
  seconds: z.number().min(0),
  /** Attempts started, this one included. */
  attempts: z.number().int().min(1),
});
type WallRecord = z.infer<typeof WallRecordSchema>;

const WALL_FORMAT = '{"seconds": ≥ 0, "attempts": ≥ 1}, as the ablation runner writes it; delete it to time this run from its current attempt only';

function readRecord(file: string): WallRecord {
  return existsSync(file) ? readJsonFile(file, 'run wall time', WallRecordSchema, WALL_FORMAT) : { seconds: 0, attempts: 0 };
}

export class RunWall {
  private readonly file: string;
  private readonly before: WallRecord;
  private readonly started: number;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  /** Starts timing an attempt of the run in `runDir`, after the attempts recorded there. */
  constructor(
    runDir: string,
    private readonly clock: () => number = Date.now,
    everyMs = 30_000,
  ) {
    mkdirSync(runDir, { recursive: true });
    this.file = join(runDir, RUN_WALL_FILE);
    this.before = readRecord(this.file);
    this.started = clock();
    this.flush();
    this.timer = everyMs > 0 ? setInterval(() => this.flush(), everyMs) : undefined;
    this.timer?.unref();
  }

  /** Seconds of every attempt so far, this one up to now. */
  get seconds(): number {
    return this.before.seconds + Math.max(0, this.clock() - this.started) / 1000;
  }

  get attempts(): number {
    return this.before.attempts + 1;
  }

  /** Writes the time so far (atomically: a kill mid-write leaves the previous record). */
  flush(): void {
    atomicWriteFile(this.file, `${JSON.stringify({ seconds: this.seconds, attempts: this.attempts })}\n`);
  }

  /** Stops the periodic writes, records the final time and returns it. */
  stop(): WallRecord {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    return { seconds: this.seconds, attempts: this.attempts };
  }
}
