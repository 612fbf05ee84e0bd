// Wall time of the quick start as a user runs it: `mm1 quickstart` in a child process with a
// fresh run directory (so nothing is reused), from start to the printed table. Minutes long,
// so `npm run bench` runs it only when asked: npm run bench -- --quickstart
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

export function benchQuickstart(): { wall_seconds: number } | { skipped: string } {
  const out = mkdtempSync(join(tmpdir(), 'mm1-bench-quickstart-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'quickstart', '--quiet', '--out', out], { encoding: 'utf8', timeout: 3_600_000 });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) return { skipped: `mm1 quickstart failed: ${(r.stderr || String(r.error)).trim().split('\n').slice(-2).join(' ')}` };
    return { wall_seconds: +wall.toFixed(1) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
