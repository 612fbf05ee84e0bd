// The task registry. Adding a benchmark = adding an entry here (or to one of the lists it
// joins); the harness never names tasks. Groups name several tasks at once.
import type { Task } from '../task.js';
import { PUBLIC_VISION_TASKS } from './public_vision.js';
import { TEXTCORE_TASKS } from './public_text.js';
import { SFT_BENCH_TASKS } from './sft_bench.js';
import { WORLD_TASKS } from './world.js';
import { WORLD_SFT_TASKS } from './world_sft.js';

export const TASKS: readonly Task[] = [...WORLD_TASKS, ...WORLD_SFT_TASKS, ...PUBLIC_VISION_TASKS, ...SFT_BENCH_TASKS, ...TEXTCORE_TASKS];

export const TASK_GROUPS: Readonly<Record<string, readonly string[]>> = {
  /** Everything the synthetic world offers: the default of `mm1 eval`. */
  world: WORLD_TASKS.map((t) => t.name),
  'world-heldout': ['world-nocaps', 'world-heldout-vqa'],
  /** The analogues of MM1's eight image benchmarks (Table 3 plus GQA). */
  'world-mm1': ['world-coco', 'world-nocaps', 'world-textcaps', 'world-vqav2', 'world-textvqa', 'world-vizwiz', 'world-okvqa', 'world-gqa'],
  'world-textcore': ['world-mc', 'world-cloze', 'world-openqa'],
  /** The analogues of MM1-Chat's SFT benchmarks (Table 4), asked as chat turns: `mm1 eval --suite sft`. */
  'world-sft': WORLD_SFT_TASKS.map((t) => t.name),
  /** MM1's pre-training evaluation (Table 3 plus GQA). */
  'mm1-vision': PUBLIC_VISION_TASKS.map((t) => t.name),
  textcore: TEXTCORE_TASKS.map((t) => t.name),
  /** MM1-Chat's SFT benchmarks (Table 4) read from local files; ask them zero-shot (--shots 0). */
  'mm1-chat': SFT_BENCH_TASKS.map((t) => t.name),
};

export const DEFAULT_TASKS = ['world'];

const byName = new Map(TASKS.map((t) => [t.name, t]));

export function findTask(name: string): Task | undefined {
  return byName.get(name);
}

/** Task names and groups, expanded and de-duplicated in order; unknown names are an error
 *  that lists what exists. */
export function resolveTasks(names: readonly (string | Task)[]): Task[] {
  const out = new Map<string, Task>();
  for (const entry of names) {
    if (typeof entry !== 'string') {
      out.set(entry.name, entry);
      continue;
    }
    const name = entry.trim();
    const expanded = TASK_GROUPS[name] ?? [name];
    for (const n of expanded) {
      const task = byName.get(n);
      if (!task) {
        throw new Error(`unknown task "${name}". Known tasks: ${TASKS.map((t) => t.name).join(', ')}. ` + `Groups: ${Object.keys(TASK_GROUPS).join(', ')}.`);
      }
      out.set(task.name, task);
    }
  }
  return [...out.values()];
}
