// One worker of `mm1 ablate <study> --workers N`: a child process `mm1 ablate run - --cache DIR`
// that takes run keys on stdin, one at a time, and runs each as a scheduler's worker does (lock,
// shared stages, resume: run_one.ts), printing one outcome line per key. A long-lived process,
// not one per run: a process builds the evaluation items once (~20 s at default scale,
// estimate.ts) and starts up once. Its stdout and stderr are appended to the worker's log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

export type ChildOutcome =
  /** This worker ran it, or found it finished. */
  | { status: 'finished'; fresh: boolean }
  /** Another process holds the run (`held by … skipped`): try again later. */
  | { status: 'held'; holder: string }
  | { status: 'failed'; reason: string };

export interface ChildCommand {
  command: string;
  args: string[];
}

/**
 * The worker command: this same program (`node [--import tsx] <script>`, or the installed `mm1`)
 * with `ablate run - --cache DIR`, so a test's program runs its own runner.
 */
export function sameProgramWorker(cacheDir: string, extraArgs: readonly string[] = []): ChildCommand {
  const script = process.argv[1];
  if (!script) throw new Error('mm1 ablate --workers: cannot tell which program to start as a worker (process.argv[1] is empty); run it as `mm1 ablate …`');
  return { command: process.execPath, args: [...process.execArgv, script, 'ablate', 'run', '-', '--cache', cacheDir, ...extraArgs] };
}

/** What `mm1 ablate run` printed for `key` (ablate_run.ts RUN_HELP), or undefined for another line. */
export function readOutcomeLine(key: string, line: string): ChildOutcome | undefined {
  if (!line.startsWith(`${key} `)) return undefined;
  const rest = line.slice(key.length + 1);
  if (rest.startsWith('finished in ')) return { status: 'finished', fresh: true };
  if (rest === 'cached') return { status: 'finished', fresh: false };
  const held = /^held by (.*): skipped$/.exec(rest);
  if (held) return { status: 'held', holder: held[1] };
  if (rest.startsWith('failed: ')) return { status: 'failed', reason: rest.slice('failed: '.length) };
  return undefined;
}

export class WorkerProcess {
  readonly process: ChildProcess;
  private readonly fd: number;
  private pending?: { key: string; resolve: (o: ChildOutcome) => void };
  private exited = false;
  private lastError = '';

  /** Starts `cmd` with `env`, appending its output to `logFile`. */
  constructor(
    cmd: ChildCommand,
    env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    mkdirSync(dirname(logFile), { recursive: true });
    this.fd = openSync(logFile, 'a');
    this.note(`$ ${[cmd.command, ...cmd.args].join(' ')} (MM1_ORT_THREADS=${env.MM1_ORT_THREADS ?? 'unset'})`);
    // Its own process group: a Ctrl-C in the terminal reaches the parent only, which forwards it
    // once (a second Ctrl-C would make a training child quit without its checkpoint).
    this.process = spawn(cmd.command, cmd.args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.process.stdin!.on('error', () => {}); // a worker that died: its exit reports it
    this.process.stderr!.on('data', (d: Buffer) => {
      writeSync(this.fd, d);
      const last = d
        .toString()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('mm1: '))
        .at(-1);
      if (last) this.lastError = last.slice(5);
    });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      writeSync(this.fd, `${line}\n`);
      const outcome = this.pending && readOutcomeLine(this.pending.key, line);
      if (outcome) this.settle(outcome);
    });
    this.process.on('error', (err) => this.onExit(`could not start ${cmd.command}: ${err.message}`));
    this.process.on('close', (code, signal) =>
      this.onExit(`the worker process exited (${signal ?? `exit ${code}`})${this.lastError ? `: ${this.lastError}` : ''}`),
    );
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Hands the worker one run; resolves with how it ended (failed if the process dies meanwhile). */
  run(key: string, header: string): Promise<ChildOutcome> {
    if (this.pending) throw new Error(`worker ${this.process.pid} is still on run ${this.pending.key}; it takes one run at a time`);
    this.note(`${new Date().toISOString()} ${header}`);
    this.lastError = '';
    return new Promise((resolve) => {
      this.pending = { key, resolve };
      if (this.exited) this.settle({ status: 'failed', reason: 'the worker process had exited' });
      else this.process.stdin!.write(`${key}\n`);
    });
  }

  /** No more runs: the worker exits once its current run ends. */
  close(): void {
    this.process.stdin!.end();
  }

  private note(text: string): void {
    if (!this.exited) writeSync(this.fd, `=== ${text}\n`);
  }

  private settle(outcome: ChildOutcome): void {
    const p = this.pending;
    this.pending = undefined;
    p?.resolve(outcome);
  }

  private onExit(reason: string): void {
    if (this.exited) return;
    this.note(reason);
    this.exited = true;
    closeSync(this.fd);
    this.settle({ status: 'failed', reason });
  }
}
