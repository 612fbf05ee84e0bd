// The evaluation harness: tasks, few-shot prompting, scoring, reports. See docs/eval.md.
export { runEval, validateEvalOptions, type EvalOptions, type EvalProgress } from './runner.js';
export { reportMarkdown, writeReport, type EvalReport, type EvalResult } from './report.js';
export { TASKS, TASK_GROUPS, DEFAULT_TASKS, findTask, resolveTasks } from './tasks/index.js';
export type { Task, TaskOf, TaskLoadOptions, PromptTemplate, DataSpec, MetricByKind } from './task.js';
export type * from './items.js';
export { TASK_KINDS } from './items.js';
export { selectShots, shotPool, type ShotSelection, type ShotRequest } from './fewshot.js';
export type { SampleRecord } from './run_task.js';
