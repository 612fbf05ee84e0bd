// One run of `mm1 ablate <study> --workers N` in a child process: `mm1 ablate run <key> --cache DIR`
// (the same command a scheduler runs: lock, shared stages, resume), its stdout and stderr appended
// to a log file, and what it printed read back as an outcome. A process per run, not a
// long-lived worker: a run is minutes and a start-up a few seconds, and each run then starts
// with a fresh heap and its own ONNX Runtime thread pool.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type ChildOutcome =
  /** This child ran it, or found it finished. */
  | { status: 'finished'; fresh: boolean }
  /** Another process holds the run (`held by … skipped`): try again later. */
  | { status: 'held'; holder: string }
  | { status: 'failed'; reason: string }
  /** Stopped by a signal the parent forwarded (Ctrl-C, SIGTERM). */
  | { status: 'stopped'; signal: NodeJS.Signals | null; code: number | null };

export interface ChildCommand {
  command: string;
  args: string[];
}

/**
 * The command that runs one planned run: this same program (`node [--import tsx] <script>`, or the
 * installed `mm1`) with `ablate run <key> --cache DIR`, so a test's program runs its own runner.
 */
export function sameProgramRun(key: string, cacheDir: string, extraArgs: readonly string[] = []): ChildCommand {
  const script = process.argv[1];
  if (!script) throw new Error('mm1 ablate --workers: cannot tell which program to start for each run (process.argv[1] is empty); run it as `mm1 ablate …`');
  return { command: process.execPath, args: [...process.execArgv, script, 'ablate', 'run', key, '--cache', cacheDir, ...extraArgs] };
}

export interface RunningChild {
  process: ChildProcess;
  outcome: Promise<ChildOutcome>;
}

/** Starts `cmd` for run `key` with `env`, appending its output to `logFile` under a header line. */
export function startRunChild(key: string, cmd: ChildCommand, env: NodeJS.ProcessEnv, logFile: string, header: string): RunningChild {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} ${header}\n$ ${[cmd.command, ...cmd.args].join(' ')}\n`);
  // Its own process group: a Ctrl-C in the terminal reaches the parent only, which forwards it
  // once (a second Ctrl-C would make a training child quit without its checkpoint).
  const child = spawn(cmd.command, cmd.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    writeSync(fd, d);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    writeSync(fd, d);
  });
  const outcome = new Promise<ChildOutcome>((resolve) => {
    child.on('error', (err) => {
      closeSync(fd);
      resolve({ status: 'failed', reason: `could not start ${cmd.command}: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      writeSync(fd, `=== exit ${signal ?? code}\n`);
      closeSync(fd);
      resolve(readOutcome(key, code, signal, stdout, stderr));
    });
  });
  return { process: child, outcome };
}

/** What `mm1 ablate run <key>` reported (its one stdout line, ablate_run.ts RUN_HELP) or why it failed. */
export function readOutcome(key: string, code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string): ChildOutcome {
  if (code === 0) {
    if (stdout.includes(`${key} finished in `)) return { status: 'finished', fresh: true };
    if (stdout.includes(`${key} cached`)) return { status: 'finished', fresh: false };
    const held = new RegExp(`${key} held by (.*): skipped`).exec(stdout);
    if (held) return { status: 'held', holder: held[1] };
    return { status: 'failed', reason: `exited 0 without saying how run ${key} ended (stdout: '${stdout.trim().slice(-200)}')` };
  }
  if (signal !== null || code === 130 || code === 143) return { status: 'stopped', signal, code };
  // mm1 prints its error as "mm1: <message>" last; a crash prints a stack instead.
  const lines = stderr.trim().split('\n');
  const reason =
    lines
      .filter((l) => l.startsWith('mm1: '))
      .at(-1)
      ?.slice(5) ??
    lines.at(-1) ??
    '';
  return { status: 'failed', reason: `exit ${code}${reason ? `: ${reason}` : ''}` };
}
