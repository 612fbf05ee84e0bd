// Stopping a training run: SIGINT (Ctrl-C) and SIGTERM (what `timeout`, Docker, systemd and
// Kubernetes send) both ask the loop to checkpoint and stop after the current step; the
// command then exits with 128 + the signal's number, as a process killed by it would. A
// second signal exits at once (the last complete checkpoint stays valid, because
// checkpoints are written atomically).
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type StopSignal = (typeof SIGNALS)[number];

export class Interrupt {
  /** The signal that asked to stop, or null. */
  signal: StopSignal | null = null;
  private readonly handlers = SIGNALS.map((sig) => [sig, () => this.onSignal(sig)] as const);

  constructor() {
    for (const [sig, handler] of this.handlers) process.on(sig, handler);
  }

  get requested(): boolean {
    return this.signal !== null;
  }

  private onSignal(sig: StopSignal): void {
    const name = sig === 'SIGINT' ? 'Ctrl-C' : sig;
    if (this.signal !== null) {
      process.stderr.write(`\nmm1: ${name} again, exiting without a new checkpoint\n`);
      process.exit(signalExitCode(sig));
    }
    this.signal = sig;
    process.stderr.write(`\nmm1: ${name}: saving a checkpoint after this step, then stopping (${name} again to quit now)\n`);
  }

  dispose(): void {
    for (const [sig, handler] of this.handlers) process.off(sig, handler);
  }
}

/** A job that a signal stopped after its checkpoint; `mm1` exits with `exitCode` (128 + the signal's number). */
export class StoppedBySignal extends Error {
  readonly exitCode: number;
  constructor(signal: NodeJS.Signals, message: string) {
    super(message);
    this.exitCode = signalExitCode(signal);
  }
}

/** How a process stopped by `signal` exits, by convention: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
