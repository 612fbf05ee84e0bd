// What an evaluation run produced, and how it is written: results.json (everything),
// results.md (a tasks × shots table of each task's headline metric) and one JSONL file of
// per-sample outputs per task and k, so any number can be traced to the answers behind it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../model/infer/api.js';
import type { ShotSelection } from './fewshot.js';
import type { TaskKind } from './items.js';
import type { SampleRecord } from './run_task.js';

export interface EvalResult {
  task: string;
  kind: TaskKind;
  /** The headline metric, a key of `metrics`. */
  metric: string;
  /** Requested shots. */
  shots: number;
  /** Shots actually used per query (fewer than `shots` only when the model's limits forced it). */
  effectiveShots: { min: number; max: number; mean: number };
  selection: ShotSelection;
  /** Queries scored. */
  n: number;
  /** Accuracies and caption scores in percent (CIDEr x100 as papers print it); ppl as is. */
  metrics: Record<string, number>;
  /** Wall time of prompting, inference and scoring. */
  seconds: number;
  /** The per-sample JSONL, relative to the output folder. */
  samplesFile?: string;
  warnings: string[];
}

export interface EvalReport {
  model: ModelInfo;
  seed: number;
  limit?: number;
  shots: number[];
  selection: ShotSelection;
  startedAt: string;
  seconds: number;
  results: EvalResult[];
}

const cell = (r: EvalResult): string => {
  const v = r.metrics[r.metric];
  const shown = Number.isFinite(v) ? v.toFixed(1) : String(v);
  return r.effectiveShots.min < r.shots ? `${shown} (k ${r.effectiveShots.min}–${r.effectiveShots.max})` : shown;
};

/** Tasks × shots, each cell the task's headline metric; reduced k is shown in the cell. */
export function reportMarkdown(report: EvalReport): string {
  const shots = [...new Set(report.results.map((r) => r.shots))].sort((a, b) => a - b);
  const tasks = [...new Set(report.results.map((r) => r.task))];
  const lines = [
    `# mm1 eval: ${report.model.name}`,
    '',
    `seed ${report.seed}, ${report.selection} shots${report.limit !== undefined ? `, limit ${report.limit}` : ''}, ${report.startedAt}`,
    '',
    `| task | metric | n | ${shots.map((k) => `${k}-shot`).join(' | ')} |`,
    `|---|---|---|${shots.map(() => '---|').join('')}`,
  ];
  for (const task of tasks) {
    const rows = report.results.filter((r) => r.task === task);
    const byK = new Map(rows.map((r) => [r.shots, r]));
    lines.push(`| ${task} | ${rows[0].metric} | ${rows[0].n} | ${shots.map((k) => (byK.has(k) ? cell(byK.get(k)!) : '')).join(' | ')} |`);
  }
  const warnings = report.results.flatMap((r) => r.warnings);
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}

export function samplesFileName(task: string, shots: number): string {
  return join('samples', `${task}.${shots}shot.jsonl`);
}

/** Remove the samples of an earlier evaluation in outDir, so that every file in samples/ belongs to this one. */
export function clearSamples(outDir: string): void {
  rmSync(join(outDir, 'samples'), { recursive: true, force: true });
}

export function writeSamples(outDir: string, file: string, samples: readonly SampleRecord[]): void {
  mkdirSync(join(outDir, 'samples'), { recursive: true });
  writeFileSync(join(outDir, file), samples.map((s) => JSON.stringify(s)).join('\n') + (samples.length > 0 ? '\n' : ''));
}

export function writeReport(outDir: string, report: EvalReport): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'results.md'), reportMarkdown(report));
}
