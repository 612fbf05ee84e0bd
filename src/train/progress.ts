// A progress bar for long jobs (cli-progress), quiet when stderr is not a terminal so logs
// and CI output stay readable: then a plain line every `every` updates instead.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export function progressBar(label: string, total: number, opts: { every?: number; quiet?: boolean } = {}): Progress {
  if (opts.quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| {value}/{total} {info} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return {
      update: (done, fields) => bar.update(done, { info: formatFields(fields) }),
      stop: () => bar.stop(),
    };
  }
  const every = opts.every ?? Math.max(1, Math.floor(total / 20));
  const t0 = Date.now();
  return {
    update(done, fields) {
      if (done % every !== 0 && done !== total) return;
      const eta = done > 0 ? (((Date.now() - t0) / done) * (total - done)) / 1000 : 0;
      process.stderr.write(`${label} ${done}/${total} ${formatFields(fields)} eta ${eta.toFixed(0)}s\n`);
    },
    stop() {},
  };
}

function formatFields(fields?: Record<string, string | number>): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : v}`)
    .join(' | ');
}
