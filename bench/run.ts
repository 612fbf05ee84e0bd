// `npm run bench`: prints one JSON object with every benchmark's figures, then a table of
// issue #13's goals against them (bench/goals.ts). Figures that compare two things (data vs.
// step, step vs. GEMM, two render sizes) are measured side by side in one run, so they hold on
// a busy machine; absolute times do not. The eager-PyTorch comparison (bench/pytorch.ts) and the
// step against every library's GEMM (bench/gemm_shapes.ts) also report CPU-time figures, which
// hold up under load where wall-time ones do not. `npm run bench -- --quickstart` also times a
// whole `mm1 quickstart` (minutes). `-- --run-cost <before.json> <after.json>` puts two saved
// outputs of bench/run_cost.ts (the commit before #13 and this one, run together) into the
// ablation row.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { benchEngine } from './engine.js';
import { benchData } from './data.js';
import { benchPipelines } from './pipeline.js';
import { benchResize } from './resize.js';
import { benchModel } from './model.js';
import { benchMemory } from './memory.js';
import { benchEval } from './eval.js';
import { benchQuickstart } from './quickstart.js';
import { benchGemmShapes } from './gemm_shapes.js';
import { goalRows, goalTable, readRunCost } from './goals.js';
import { ortThreads } from '../src/engine/session.js';
import { benchPytorch } from './pytorch.js';

const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, load_average_1min_at_start: +loadavg()[0].toFixed(1) };
const results: Record<string, unknown> = { machine };
const costAt = process.argv.indexOf('--run-cost');
if (costAt >= 0) {
  const [before, after] = process.argv.slice(costAt + 1, costAt + 3);
  if (!before || !after) throw new Error('--run-cost needs two files: bench/run_cost.ts output for the commit before #13, then for this one');
  results.run_cost = { before: readRunCost(before), after: readRunCost(after) }; // read first: a bad file fails before the minutes of benchmarks
}
results.engine = await benchEngine();
results.data = await benchData();
results.pipeline_vs_step = await benchPipelines();
results.resize = await benchResize();
results.model = await benchModel();
results.eval = await benchEval();
results.training_peak_rss = benchMemory();
results.pytorch = await benchPytorch();
if (ortThreads() > 1) results.gemm_shapes = await benchGemmShapes();
results.gemm_shapes_1_thread = await benchGemmShapes({ threads: 1 });
if (process.argv.includes('--quickstart')) results.quickstart = benchQuickstart();
results.load_average_1min_at_end = +loadavg()[0].toFixed(1);
process.stdout.write(JSON.stringify(results, null, 2) + '\n\n' + goalTable(goalRows(results)) + '\n');
