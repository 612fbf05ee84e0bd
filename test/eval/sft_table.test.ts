// `mm1 eval --suite sft`: the Table-4-shaped report. Hand-made results check which number goes
// in which column (POPE = mean F1 of its splits, MME-P / MME-C, judge-only benchmarks); a micro
// model checks the command end to end.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EvalReport, EvalResult } from '../../src/eval/report.js';
import { sftTable, TABLE4_COLUMNS } from '../../src/eval/sft_table.js';
import { mm1 } from '../helpers/cli.js';
import { microModelDir } from '../helpers/micro_model.js';
import { tempDir } from '../data/fixtures.js';

const result = (task: string, metrics: Record<string, number>, shots = 0): EvalResult => ({
  task,
  kind: 'sft-bench',
  metric: Object.keys(metrics)[0],
  shots,
  effectiveShots: { min: shots, max: shots, mean: shots },
  selection: 'random',
  n: 10,
  metrics,
  seconds: 1,
  warnings: [],
});
const report = (results: EvalResult[]): EvalReport => ({
  model: { name: 'm', imageSize: 32, maxImages: 4, contextLength: 256, params: 1 },
  seed: 0,
  shots: [0],
  selection: 'random',
  startedAt: '',
  seconds: 1,
  results,
});
/** The cells of the table row whose label starts with `label`, by column header. */
function row(table: string, label: string): Record<string, string> {
  const line = table.split('\n').find((l) => l.startsWith(`| ${label} |`));
  assert.ok(line, `no row ${label} in\n${table}`);
  const cells = line
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim());
  return Object.fromEntries(TABLE4_COLUMNS.map((c, i) => [c.header, cells[i]]));
}

test('columns in Table 4 order; world and released benchmarks in separate rows; POPE is the mean F1 of the splits', () => {
  const table = sftTable(
    report([
      result('world-sft-vqav2', { accuracy: 61.25 }),
      result('world-mme', { perception: 640, 'existence/acc': 90 }),
      result('world-pope-random', { f1: 90, accuracy: 88 }),
      result('world-pope-popular', { f1: 80 }),
      result('world-pope-adversarial', { f1: 70 }),
      result('mme', { perception: 1200.5, cognition: 250 }),
      result('pope-random', { f1: 86 }),
      result('llava-bench', { answers: 60 }),
    ]),
  );
  assert.match(table, /\| model \| VQAv2 \| TextVQA \| SQA-I \| MMMU \| MathVista \| MME-P \| MME-C \| MMB \| SEED \| POPE \| LLaVA-W \| MM-Vet \|/);
  assert.deepEqual(row(table, 'm (world)'), {
    VQAv2: '61.3',
    TextVQA: '—',
    'SQA-I': '—',
    MMMU: '—',
    MathVista: '—',
    'MME-P': '640.0',
    'MME-C': '—',
    MMB: '—',
    SEED: '—',
    POPE: '80.0',
    'LLaVA-W': '—',
    'MM-Vet': '—',
  });
  const released = row(table, 'm');
  assert.deepEqual(
    [released['MME-P'], released['MME-C'], released.POPE, released['LLaVA-W'], released.VQAv2],
    ['1200.5', '250.0', '86.0 (1 of 3)', 'judge', '—'],
  );
  assert.equal(row(table, 'MM1-3B-Chat (paper)')['MME-P'], '1482.5', "released rows are read against the paper's");
  assert.throws(() => sftTable(report([result('world-coco', { CIDEr: 3 })])), /none of the evaluated tasks \(world-coco\) is a Table 4 benchmark/);
});

test('mm1 eval --suite sft on a micro model prints the Table 4 layout and writes table4.md', async () => {
  const dir = tempDir('sft-suite');
  const model = await microModelDir(dir);
  const out = join(dir, 'eval');
  const r = await mm1(['eval', '--model', model, '--suite', 'sft', '--limit', '2', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const world = row(r.stdout, `${model} (world)`);
  for (const h of ['VQAv2', 'TextVQA', 'MME-P', 'MMB', 'POPE']) assert.match(world[h], /^\d+\.\d$/, `${h}: ${world[h]}`);
  for (const h of ['SQA-I', 'MMMU', 'MathVista', 'MME-C', 'SEED', 'LLaVA-W', 'MM-Vet']) assert.equal(world[h], '—', h);
  assert.match(r.stdout, /\| world-pope-adversarial \| f1 \| 2 \| /, 'the ordinary tasks × shots table comes first, 0-shot only');
  assert.doesNotMatch(r.stdout, /4-shot/);
  assert.ok(existsSync(join(out, 'table4.md')));
  assert.match(readFileSync(join(out, 'table4.md'), 'utf8'), /^# .*: MM1-Chat benchmarks \(paper Table 4 layout\)/);
});
