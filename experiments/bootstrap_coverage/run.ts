// The coverage table in docs/ablate.md ("The rule behind ✔ / ✘ / ?"): how often the 95% interval
// holds a known Δ with 3 and 5 seeds, by the seed share of Δ's variance (src/ablate/coverage.ts).
//   node --import tsx experiments/bootstrap_coverage/run.ts      (about a minute)
import { simulatedCoverage } from '../../src/ablate/coverage.js';

const SHARES = [0, 0.25, 0.5, 0.75, 0.9, 1];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
process.stdout.write(`| seed share of Δ's variance | ${SHARES.join(' | ')} |\n| --- |${SHARES.map(() => ' ---: |').join('')}\n`);
for (const seeds of [3, 5]) {
  const row = SHARES.map((seedShare) => pct(simulatedCoverage({ seeds, seedShare, studies: 1000, rngSeed: 5 + seeds })));
  process.stdout.write(`| coverage, ${seeds} seeds | ${row.join(' | ')} |\n`);
}
