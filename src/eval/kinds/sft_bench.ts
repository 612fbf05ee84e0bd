// MM1-Chat's SFT benchmarks: generate a free-text answer to the benchmark's own prompt, then
// score it with that benchmark's official parsing and metric (sftbench/scorers.ts, chosen by
// the task's metric name).
import { pyStrip } from '../../compat/python.js';
import { SFT_SCORERS } from '../sftbench/scorers.js';
import type { KindAdapter } from './adapter.js';

export const sftBenchAdapter: KindAdapter<'sft-bench'> = {
  generates: true,
  image: (item) => item.image,
  vars: (item) => ({ question: item.question, answer: item.reference }),
  // MMBench asks each question once per option order; none of them may be another's shot.
  sameQuery: (c, q) => c.id === q.id || (c.gold.bench === 'mmbench' && q.gold.bench === 'mmbench' && c.gold.group === q.gold.group),
  queryText: (item) => item.question,
  references: (item) => item.reference,
  // Reference runners (LLaVA's model_vqa*.py) strip the decoded output before any scoring.
  score: (task, rows) => SFT_SCORERS[task.metric](rows.map((r) => ({ item: r.item, prediction: pyStrip(r.prediction ?? '') }))),
};
