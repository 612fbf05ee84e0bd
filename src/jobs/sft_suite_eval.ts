// The world SFT suite as the ablation runner measures a fine-tuned run: `mm1 eval --suite sft`'s
// tasks at 0 shots, reduced to run metrics and per-item scores as the SFT-transfer studies
// define them (ablate/studies/sft_suite.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemScores, Metrics } from '../ablate/runner.js';
import { reduceSamples, SFT_SUITE_ROWS } from '../ablate/studies/sft_suite.js';
import { runEval, type EvalOptions } from '../eval/runner.js';
import type { Mm1Model } from '../model/infer/api.js';

/** Evaluates `model` on the world-sft tasks at 0 shots; metrics and item scores keyed "<eval seed>/<item>". */
export async function evaluateSftSuite(
  model: Mm1Model,
  opts: Pick<EvalOptions, 'seed' | 'worldVersion' | 'limit' | 'onWarning'> & { outDir: string },
): Promise<{ metrics: Metrics; items: ItemScores }> {
  const report = await runEval(model, { ...opts, tasks: SFT_SUITE_ROWS.map((r) => r.task), shots: [0] });
  const metrics: Metrics = {};
  const items: ItemScores = {};
  for (const r of report.results) {
    const row = SFT_SUITE_ROWS.find((x) => x.task === r.task);
    if (!row || !r.samplesFile) throw new Error(`the SFT suite returned ${r.task} ${row ? 'without a samples file' : 'which SFT_SUITE_ROWS does not name'}`);
    const samples = readFileSync(join(opts.outDir, r.samplesFile), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; score: number });
    const byItem = reduceSamples(samples, row.reduce);
    const values = Object.values(byItem);
    items[row.key] = { 0: Object.fromEntries(Object.entries(byItem).map(([id, v]) => [`${report.seed}/${id}`, v])) };
    metrics[row.key] = { 0: values.reduce((a, b) => a + b, 0) / values.length };
  }
  return { metrics, items };
}
