// A report shaped like MM1's Table 4 (MM1-Chat): one row per model, the SFT benchmarks as
// columns in the paper's order (spec §5.4). Cells come from an evaluation's results: the
// released benchmarks (`--tasks mm1-chat`) and the world's analogues (`--suite sft`) fill
// separate rows, since their numbers are not comparable. Benchmarks with neither stay "—".
import type { EvalReport, EvalResult } from './report.js';

interface Source {
  tasks: readonly string[];
  metric: string;
}

interface Column {
  header: string;
  world?: Source;
  released?: Source;
  /** Several tasks make one number (POPE: the mean F1 of its splits, as LLaVA-1.5 and MM1 report it). */
  mean?: boolean;
}

const pope = (prefix: string) => ['random', 'popular', 'adversarial'].map((s) => `${prefix}${s}`);

/** Table 4's columns, in its order (MMMU val, SEED image part: the splits mm1 reads). */
export const TABLE4_COLUMNS: readonly Column[] = [
  { header: 'VQAv2', world: { tasks: ['world-sft-vqav2'], metric: 'accuracy' }, released: { tasks: ['vqav2'], metric: 'accuracy' } },
  { header: 'TextVQA', world: { tasks: ['world-sft-textvqa'], metric: 'accuracy' }, released: { tasks: ['textvqa'], metric: 'accuracy' } },
  { header: 'SQA-I', released: { tasks: ['scienceqa-img'], metric: 'accuracy' } },
  { header: 'MMMU', released: { tasks: ['mmmu'], metric: 'accuracy' } },
  { header: 'MathVista', released: { tasks: ['mathvista'], metric: 'accuracy' } },
  { header: 'MME-P', world: { tasks: ['world-mme'], metric: 'perception' }, released: { tasks: ['mme'], metric: 'perception' } },
  { header: 'MME-C', released: { tasks: ['mme'], metric: 'cognition' } },
  { header: 'MMB', world: { tasks: ['world-mmbench'], metric: 'accuracy' }, released: { tasks: ['mmbench'], metric: 'accuracy' } },
  { header: 'SEED', released: { tasks: ['seed-bench'], metric: 'accuracy' } },
  { header: 'POPE', world: { tasks: pope('world-pope-'), metric: 'f1' }, released: { tasks: pope('pope-'), metric: 'f1' }, mean: true },
  { header: 'LLaVA-W', released: { tasks: ['llava-bench'], metric: 'answers' } },
  { header: 'MM-Vet', released: { tasks: ['mm-vet'], metric: 'answers' } },
];

/** MM1-Chat's published rows (spec §5.4; MMMU val, SEED image part), for reading released-benchmark rows against. */
export const MM1_CHAT_ROWS: readonly { model: string; cells: readonly (number | undefined)[] }[] = [
  { model: 'MM1-3B-Chat (paper)', cells: [82.0, 71.9, 69.4, 33.9, 32.0, 1482.5, 279.3, 67.8, 68.8, 87.4, 72.1, 43.7] },
  { model: 'MM1-7B-Chat (paper)', cells: [82.8, 72.8, 72.6, 37.0, 35.9, 1529.3, 328.9, 72.3, 69.9, 86.6, 81.5, 42.1] },
  { model: 'MM1-30B-Chat (paper)', cells: [83.7, 73.5, 81.0, 44.7, 39.4, 1637.6, 431.4, 75.1, 72.1, 87.6, 89.3, 48.7] },
];

type Family = 'world' | 'released';

/** The cell of one column for one family at k shots, or undefined when none of its tasks ran. */
function cellOf(results: readonly EvalResult[], col: Column, family: Family, k: number): string | undefined {
  const src = col[family];
  if (!src) return undefined;
  const found = src.tasks.flatMap((t) => results.filter((r) => r.task === t && r.shots === k));
  if (found.length === 0) return undefined;
  // LLaVA-Bench and MM-Vet are scored by a GPT-4 judge from the answer file mm1 writes.
  if (src.metric === 'answers') return 'judge';
  const values = found.map((r) => r.metrics[src.metric]);
  if (values.some((v) => v === undefined))
    throw new Error(`Table 4 column ${col.header}: a result of ${found.map((r) => r.task).join(', ')} has no metric "${src.metric}"`);
  const shown = col.mean ? values.reduce((a, b) => a + b, 0) / values.length : values[0];
  const partial = col.mean && found.length < src.tasks.length ? ` (${found.length} of ${src.tasks.length})` : '';
  return `${shown.toFixed(1)}${partial}`;
}

/** The Table-4-shaped markdown of `report`: a row per family of benchmarks and shot count that has any cell. */
export function sftTable(report: EvalReport): string {
  const shots = [...new Set(report.results.map((r) => r.shots))].sort((a, b) => a - b);
  const header = `| model | ${TABLE4_COLUMNS.map((c) => c.header).join(' | ')} |`;
  const rule = `|---|${TABLE4_COLUMNS.map(() => '---:|').join('')}`;
  const rows: string[] = [];
  let released = false;
  for (const family of ['world', 'released'] as const) {
    for (const k of shots) {
      const cells = TABLE4_COLUMNS.map((c) => cellOf(report.results, c, family, k));
      if (cells.every((c) => c === undefined)) continue;
      released ||= family === 'released';
      const label = `${report.model.name}${family === 'world' ? ' (world)' : ''}${k > 0 ? `, ${k}-shot` : ''}`;
      rows.push(`| ${label} | ${cells.map((c) => c ?? '—').join(' | ')} |`);
    }
  }
  if (rows.length === 0) {
    throw new Error(
      `none of the evaluated tasks (${[...new Set(report.results.map((r) => r.task))].join(', ')}) is a Table 4 benchmark or a world analogue of one; run --suite sft or --tasks mm1-chat`,
    );
  }
  if (released) rows.push(...MM1_CHAT_ROWS.map((r) => `| ${r.model} | ${r.cells.map((c) => (c === undefined ? '—' : c.toFixed(1))).join(' | ')} |`));
  return [
    `# ${report.model.name}: MM1-Chat benchmarks (paper Table 4 layout)`,
    '',
    header,
    rule,
    ...rows,
    '',
    'Accuracy in %, MME as scores (acc + acc+ per subtask, summed), POPE the mean F1 of its splits. "judge": the answer file for the GPT-4 judge was written.',
    ...(rows.some((r) => r.includes('(world)'))
      ? [
          "World rows (synthetic analogues, not comparable with the paper): MME-P sums 5 of MME's 10 perception subtasks (existence, count, position, color, OCR; max 1000); MMB is CircularEval over 4 numbered options; world models cannot read SQA-I, MMMU, MathVista, SEED, MME-C, LLaVA-W or MM-Vet, which have no world analogue.",
        ]
      : []),
    '',
  ].join('\n');
}
