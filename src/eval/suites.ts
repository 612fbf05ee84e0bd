// Evaluation suites: a named set of defaults plus the report that reads them. `--suite sft`
// is the world's MM1-Chat evaluation: the world-sft task group, zero-shot (as Table 4 is),
// printed in Table 4's layout. A suite only sets defaults: --tasks and --shots still win, so
// `--suite sft --tasks mm1-chat --data ...` prints the released benchmarks in the same layout.
import type { EvalReport } from './report.js';
import { sftTable } from './sft_table.js';

export interface Suite {
  description: string;
  defaults: { tasks: string[]; shots: number[] };
  report(report: EvalReport): string;
  /** The report's file name in --out. */
  file: string;
}

export const SUITES = {
  sft: {
    description: "fine-tuned (chat) models as MM1-Chat is measured: the world-sft tasks, 0-shot, in paper Table 4's layout",
    defaults: { tasks: ['world-sft'], shots: [0] },
    report: sftTable,
    file: 'table4.md',
  },
} as const satisfies Record<string, Suite>;

export type SuiteName = keyof typeof SUITES;
export const SUITE_NAMES = Object.keys(SUITES) as SuiteName[];
