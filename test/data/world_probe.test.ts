// The resolution probe: its ridge solver against a hand-checkable answer, and the probe
// through `mm1 data probe` on a small size — reading is near chance at 32 px and near
// perfect at 128 px, which is what world v2's small and large words were designed for.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { blobCount, throughResolution } from '../../src/data/world/probe/features.js';
import { fitRidge, predictRidge } from '../../src/data/world/probe/ridge.js';
import type { ProbeRow } from '../../src/data/world/probe/probe.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('ridge recovers a linear map from exact data (small λ), and shrinks towards the mean with a large one', () => {
  // y = 2·x0 − x1 + 3 on a 3x3 grid of points; standardisation and bias are inside fitRidge
  const x: Float64Array[] = [];
  const y: Float64Array[] = [];
  for (let a = -1; a <= 1; a++) {
    for (let b = -1; b <= 1; b++) {
      x.push(Float64Array.of(a, b));
      y.push(Float64Array.of(2 * a - b + 3));
    }
  }
  const exact = fitRidge(x, y, 1e-9);
  assert.ok(Math.abs(predictRidge(exact, Float64Array.of(0.5, -2))[0] - 6) < 1e-6); // 2·0.5 + 2 + 3
  const shrunk = fitRidge(x, y, 1e6);
  assert.ok(Math.abs(predictRidge(shrunk, Float64Array.of(1, -1))[0] - 3) < 0.01, 'a huge λ predicts the mean target');
});

test('blob counter: three separate specks at 128 px run together at 32 px', () => {
  const img = { width: 128, height: 128, data: new Uint8Array(128 * 128 * 3).fill(240) };
  for (const cx of [10, 16, 22]) for (let y = 9; y < 12; y++) for (let x = cx - 1; x < cx + 2; x++) img.data.set([200, 20, 20], 3 * (y * 128 + x));
  const box = { x0: 0, y0: 0, x1: 40, y1: 40 };
  assert.equal(blobCount(img, 128, box), 3);
  assert.equal(blobCount(throughResolution(img, 32), 32, box), 1);
});

test('mm1 data probe: reading near chance at 32 px, near perfect at 128 px', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-probe-'));
  try {
    const out = join(dir, 'probe.md');
    const args = ['data', 'probe', '--sizes', '32,128', '--items', '30', '--train-items', '10', '--tasks', 'world-textvqa', '--out', out];
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\| task \| items \| chance \| 32 px \| 128 px \|/);
    assert.equal(readFileSync(out, 'utf8'), r.stdout);
    const { rows } = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { rows: ProbeRow[] };
    const [row] = rows;
    assert.equal(row.task, 'world-textvqa');
    assert.ok(row.scores[32] <= row.chance + 15, `reads ${row.scores[32]}% at 32 px (chance ${row.chance}%)`);
    assert.ok(row.scores[128] >= 80, `reads only ${row.scores[128]}% at 128 px`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mm1 data probe: a size that does not divide 128 and an unknown task are named', async () => {
  const run = (...args: string[]) =>
    new Promise<string>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'data', 'probe', ...args], { cwd: ROOT }, (_e, _o, stderr) => resolve(stderr)),
    );
  const [size, task] = await Promise.all([run('--sizes', '32,48'), run('--tasks', 'world-cocoa', '--items', '2', '--train-items', '2')]);
  assert.match(size, /48 does not divide 128/);
  assert.match(task, /unknown task\(s\) world-cocoa; probed tasks: world-coco, /);
});
