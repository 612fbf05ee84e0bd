// Two finished ablation runs scored on the same items (same eval seed), compared task by task
// and on the image average without the reading task: Δ = B − A with the paired item bootstrap
// the study reports use (src/ablate/bootstrap.ts, one seed each, so item noise only; the seed
// spread of the base run, docs/results/default/seeds/report.md, is the training noise to add).
// Usage:
//   node --import tsx experiments/reading/compare_runs.ts --a <run dir with items.json> --b <run dir> [--shots 0,4]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pointMeans } from '../../src/ablate/bootstrap.js';
import type { ItemScores } from '../../src/ablate/runner.js';
import { itemDelta, twoRuns } from './item_delta.js';

const { values: a } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, shots: { type: 'string', default: '0,4,8' } } });
if (!a.a || !a.b) throw new Error('compare_runs: give --a and --b, two run directories holding items.json (an ablation cache run or base_run.ts output)');
const [A, B] = [a.a, a.b].map((dir) => JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8')) as ItemScores);
const shots = a.shots.split(',');
const shared = Object.keys(A)
  .filter((k) => k in B)
  .sort();
const READING = 'reading/accuracy';
const imageOthers = shared.filter((k) => !k.startsWith('text') && k !== READING);

/** Δ (B − A) of the mean over `keys` at `shot`, on the items both runs scored, with its 95% paired item-bootstrap interval. */
function delta(keys: string[], shot: string): string {
  const [a, b] = [A, B].map((run) =>
    keys.map((k) => {
      const ids = Object.keys(A[k][shot]).filter((id) => id in B[k][shot]);
      return Float64Array.from(ids.sort(), (id) => run[k][shot][id]);
    }),
  );
  const d = twoRuns(a, b, keys);
  const ci = itemDelta(d);
  if (!ci) return 'n/a';
  const [m0, m1] = pointMeans(d);
  return `${m0.toFixed(1)} → ${m1.toFixed(1)}: Δ ${ci.estimate >= 0 ? '+' : ''}${ci.estimate.toFixed(1)} [${ci.lo.toFixed(1)}, ${ci.hi.toFixed(1)}]`;
}

for (const shot of shots) {
  console.log(`${shot}-shot`);
  console.log(`  ${'avg/image without reading'.padEnd(26)} ${delta(imageOthers, shot)}`);
  for (const k of shared) if (A[k][shot] && B[k][shot]) console.log(`  ${k.padEnd(26)} ${delta([k], shot)}`);
}
