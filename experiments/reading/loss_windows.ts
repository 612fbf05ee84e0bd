// Mean pretraining loss over windows of steps, one row per run (or per group of runs, shown as
// the range of their means), as a markdown table: the read-out of the 200-step A/Bs in
// docs/reading.md (sessions 9–10), whose rule is the mean over steps 181–200.
// A window a run has not reached in full prints "–", so a running arm is never read early.
// A step logged twice (a run resumed from a checkpoint before it) counts once, the later record.
// Usage:
//   node --import tsx experiments/reading/loss_windows.ts label=<run dir>[,<run dir>...] ... [--windows 1-20,81-100,181-200]
// where a run dir holds log.jsonl (a `mm1 pretrain --out` directory, or an ablation run's pretrain/).
import { parseArgs } from 'node:util';
import { readLog } from '../../src/train/loop.js';

const { values: a, positionals } = parseArgs({ allowPositionals: true, options: { windows: { type: 'string', default: '1-20,81-100,181-200' } } });
if (positionals.length === 0) throw new Error('loss_windows: name at least one run as label=<run dir> (or label=<dir>,<dir>,... for a range over runs)');
const windows = a.windows.split(',').map((w) => {
  const [from, to] = w.split('-').map(Number);
  if (!(from >= 1 && to >= from)) throw new Error(`loss_windows: window '${w}' is not first-last with 1 ≤ first ≤ last; e.g. --windows 1-20,181-200`);
  return { label: w.replace('-', '–'), from, to };
});

/** Mean loss of a run over steps from..to, or undefined when any of those steps is missing from its log. */
function windowMean(dir: string, from: number, to: number): number | undefined {
  const byStep = new Map(readLog(dir).map((r) => [r.step, r.loss]));
  let sum = 0;
  for (let step = from; step <= to; step++) {
    const loss = byStep.get(step);
    if (loss === undefined) return undefined;
    sum += loss;
  }
  return sum / (to - from + 1);
}

console.log(`| pretraining loss, steps | ${windows.map((w) => w.label).join(' | ')} |`);
console.log(`|---|${windows.map(() => '---:').join('|')}|`);
for (const spec of positionals) {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`loss_windows: '${spec}' is not label=<run dir>; e.g. asis=/work/runs/diag9/ab/asis`);
  const dirs = spec.slice(eq + 1).split(',');
  const cells = windows.map(({ from, to }) => {
    const means = dirs.map((d) => windowMean(d, from, to));
    if (means.some((m) => m === undefined)) return '–';
    const [lo, hi] = [Math.min(...(means as number[])), Math.max(...(means as number[]))];
    return dirs.length === 1 ? lo.toFixed(3) : `${lo.toFixed(3)}–${hi.toFixed(3)}`;
  });
  const label = spec.slice(0, eq) + (dirs.length > 1 ? ` (range of ${dirs.length})` : '');
  console.log(`| ${label} | ${cells.join(' | ')} |`);
}
