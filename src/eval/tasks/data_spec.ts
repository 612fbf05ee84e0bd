// `--data NAME=SPEC`: the local files of a public task, parts separated by ":" in the order
// its `data.format` lists (e.g. coco=annotations.json:images/). Optional trailing parts are
// shown in [brackets] in the format.
import type { Task } from '../task.js';

/** The parts of `spec` for `task`; errors say the expected format and give the example. */
export function dataParts(task: Pick<Task, 'name' | 'data'>, spec: string | undefined, flag = '--data'): string[] {
  const data = task.data;
  if (!data) throw new Error(`task ${task.name} generates its own data; it takes no ${flag}.`);
  const usage = `${flag} ${task.name}=${data.format} (e.g. ${flag} ${task.name}=${data.example})`;
  if (spec === undefined || spec.trim() === '') throw new Error(`task ${task.name} reads local files: pass ${usage}.`);
  const required = data.format.replace(/\[.*\]/, '').split(':').length;
  const total = data.format.replace(/[[\]]/g, '').split(':').length;
  const parts = spec.split(':');
  if (parts.length < required || parts.length > total || parts.some((p) => p === '')) {
    throw new Error(`${flag} ${task.name}=${spec}: expected ${required === total ? total : `${required} to ${total}`} parts separated by ":", as ${usage}.`);
  }
  return parts;
}
