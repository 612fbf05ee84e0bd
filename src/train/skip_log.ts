// The run's list of broken records: <run>/skipped.jsonl, one {source, shard, offset, where, reason}
// line per skipped record in the order the stream met them, plus a stderr line for the
// first few. A resume cuts the file back to the records its checkpoint had counted, because
// the records after that are read — and skipped — again.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataCursor, SkipNote } from '../data/batches.js';

export const SKIP_LOG = 'skipped.jsonl';
/** Skips also printed to stderr; the rest are only in the file. */
const SHOWN = 10;

export class SkipLog {
  private readonly path: string;
  private written = 0;
  /** False until restore() or the first add(): a run that was not restored starts the file afresh. */
  private started = false;

  constructor(
    runDir: string,
    private readonly quiet = false,
  ) {
    this.path = join(runDir, SKIP_LOG);
  }

  add(notes: readonly SkipNote[]): void {
    if (notes.length === 0) return;
    if (!this.started) {
      writeFileSync(this.path, '');
      this.started = true;
    }
    appendFileSync(this.path, notes.map((n) => JSON.stringify(n) + '\n').join(''));
    for (const n of notes) {
      this.written++;
      if (this.quiet || this.written > SHOWN) continue;
      process.stderr.write(`mm1: skipped ${n.shard} ${n.where}: ${n.reason}\n`);
      if (this.written === SHOWN) process.stderr.write(`mm1: further skipped records are listed only in ${this.path}\n`);
    }
  }

  /** Keep the lines a restored cursor had counted. */
  restore(cursor: DataCursor): void {
    const counted = Object.values(cursor.records ?? {}).reduce((n, c) => n + c.skipped, 0);
    this.started = true;
    if (!existsSync(this.path)) return;
    const kept = linesOf(this.path).slice(0, counted);
    writeFileSync(this.path, kept.map((l) => l + '\n').join(''));
    this.written = kept.length;
  }
}

function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}
