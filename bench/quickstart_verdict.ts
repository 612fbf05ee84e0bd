// Is a shorter quick start "as good" as the default? The rule of docs/performance.md, applied to
// finished `mm1 quickstart` run directories: two default runs (training seeds 0 and 1, evaluated
// on the same items) set, for each headline figure, a bound of their mean minus their spread or
// 4 points, whichever is larger; a candidate passes when no figure falls below its bound.
// node --import tsx bench/quickstart_verdict.ts <default seed 0> <default seed 1> <candidate>...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport } from '../src/eval/report.js';
import { QUICKSTART_PICTURE_TASKS } from '../src/jobs/quickstart.js';
import { compare, type ComparisonRow } from '../src/report/quickstart_report.js';

/** Run-to-run noise is never taken as smaller than this many points (100 items per task). */
export const MIN_TOLERANCE = 4;

/** Headline figure name → value: every task × shots score, and the gap to blanked images of the picture tasks. */
export function headlineFigures(rows: readonly ComparisonRow[]): Map<string, number> {
  const figures = new Map<string, number>();
  for (const r of rows) figures.set(`${r.task} ${r.shots}-shot ${r.metric}`, r.model);
  // The picture tasks' model-minus-blanked gap is a headline figure too.
  for (const r of rows) if (QUICKSTART_PICTURE_TASKS.includes(r.task)) figures.set(`${r.task} ${r.shots}-shot gap to blanked`, r.model - r.blank);
  return figures;
}

export interface FigureBound {
  figure: string;
  reference: [number, number];
  /** The lowest value that passes: mean − max(spread, MIN_TOLERANCE). */
  bound: number;
}

export function bounds(seed0: Map<string, number>, seed1: Map<string, number>): FigureBound[] {
  return [...seed0].map(([figure, a]) => {
    const b = seed1.get(figure);
    if (b === undefined) throw new Error(`bounds: the second default run has no '${figure}'; evaluate both with the same tasks and shots`);
    return { figure, reference: [a, b], bound: (a + b) / 2 - Math.max(Math.abs(a - b), MIN_TOLERANCE) };
  });
}

/** The figures of `candidate` that fall below their bound (empty: it passes). */
export function failures(candidate: Map<string, number>, limits: readonly FigureBound[]): string[] {
  return limits.filter((l) => !((candidate.get(l.figure) ?? -Infinity) >= l.bound)).map((l) => l.figure);
}

function readRun(dir: string): { rows: ComparisonRow[]; evalSeed: number; limit: number | undefined } {
  const read = (which: string) => JSON.parse(readFileSync(join(dir, 'eval', which, 'results.json'), 'utf8')) as EvalReport;
  const model = read('model');
  return { rows: compare(model, read('blank')), evalSeed: model.seed, limit: model.limit };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2);
  if (dirs.length < 3) throw new Error('usage: quickstart_verdict.ts <default seed 0 run> <default seed 1 run> <candidate run>...');
  const runs = dirs.map(readRun);
  const other = runs.findIndex((r) => r.evalSeed !== runs[0].evalSeed || r.limit !== runs[0].limit);
  if (other >= 0)
    throw new Error(
      `${dirs[other]} was evaluated with seed ${runs[other].evalSeed}, limit ${runs[other].limit}; ${dirs[0]} with seed ${runs[0].evalSeed}, limit ${runs[0].limit}: ` +
        'rerun it with --eval-seed and --eval-limit matching, so all compare on the same items',
    );
  const [seed0, seed1, ...candidates] = runs.map((r) => headlineFigures(r.rows));
  const limits = bounds(seed0, seed1);
  const f = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));
  const lines = [`| figure | default s0 | default s1 | bound | ${dirs.slice(2).join(' | ')} |`, `|---|---|---|---|${'---|'.repeat(candidates.length)}`];
  for (const l of limits) {
    const cells = candidates.map((c) => (c.get(l.figure)! >= l.bound ? f(c.get(l.figure)) : `**${f(c.get(l.figure))}**`));
    lines.push(`| ${l.figure} | ${f(l.reference[0])} | ${f(l.reference[1])} | ${f(l.bound)} | ${cells.join(' | ')} |`);
  }
  const verdicts = candidates.map((c, i) => {
    const failed = failures(c, limits);
    return `${dirs[i + 2]}: ${failed.length === 0 ? 'passes' : `fails on ${failed.length} of ${limits.length} (${failed.join('; ')})`}`;
  });
  process.stdout.write(`${lines.join('\n')}\n\n${verdicts.join('\n')}\n`);
}
