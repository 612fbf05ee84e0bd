// A run's wall time across its attempts. A study run stopped by a session's end resumes from its
// checkpoints in the next session; timed from the last start only, it reported the resumed part
// (session 12: two mixture runs of ~30 min said 8 and 11), and the report's "sum over runs"
// undercounted. The time so far goes to <runDir>/wall.json every `everyMs`, so a process killed
// mid-run loses at most that much of it; the gap between attempts is not counted.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../engine/atomic_write.js';

export const RUN_WALL_FILE = 'wall.json';

interface WallRecord {
  /** Seconds spent in this run's attempts so far. */
  seconds: number;
  /** Attempts started, this one included. */
  attempts: number;
}

function readRecord(file: string): WallRecord {
  if (!existsSync(file)) return { seconds: 0, attempts: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); delete it to time this run from its current attempt only`, { cause: err });
  }
  const r = parsed as Partial<WallRecord>;
  if (typeof r.seconds !== 'number' || !(r.seconds >= 0) || !Number.isInteger(r.attempts) || (r.attempts as number) < 1)
    throw new Error(
      `${file} should hold {"seconds": ≥ 0, "attempts": ≥ 1}, got ${JSON.stringify(parsed)}; delete it to time this run from its current attempt only`,
    );
  return { seconds: r.seconds, attempts: r.attempts as number };
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
