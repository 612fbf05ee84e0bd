// Clean twins of the studies' VizWiz-analogue items: the same item (id, question, answers, scene,
// degradation label) with its picture drawn again from the scene without degradeImage, so a
// model scored on both versions separates "the picture was spoiled" from "the question is hard".
// Both tasks are world-vizwiz itself (same items, template, stop, postprocess and VQA-accuracy
// metric), so runEval scores them exactly as the ablation runner scores the studies' runs.
import { renderScene } from '../../src/data/world/index.js';
import type { WorldVqaItem } from '../../src/data/world/index.js';
import type { Degradation } from '../../src/data/world/vizwiz.js';
import type { VqaItem } from '../../src/eval/items.js';
import type { TaskOf } from '../../src/eval/task.js';
import { WORLD_TASKS } from '../../src/eval/tasks/world.js';

function vizwizTask(): TaskOf<'vqa'> {
  const task = WORLD_TASKS.find((t) => t.name === 'world-vizwiz');
  if (!task || task.kind !== 'vqa') throw new Error(`vizwiz_twins: expected a vqa task named world-vizwiz in WORLD_TASKS, found ${task?.kind ?? 'none'}`);
  return task;
}

/** The studies' task, unchanged. */
export const DEGRADED_TASK: TaskOf<'vqa'> = vizwizTask();

/** The twin of one world item: its scene re-rendered at the degraded picture's side. */
export function cleanTwin(item: VqaItem): WorldVqaItem {
  const world = item as Partial<WorldVqaItem>;
  if (!world.scene || !world.image || !('data' in world.image) || world.degradation === undefined)
    throw new Error(`vizwiz_twins: item ${item.id} has no scene, rendered picture or degradation; clean twins need world-vizwiz items`);
  return { ...(world as WorldVqaItem), image: renderScene(world.scene, world.image.width) };
}

/** world-vizwiz with every picture replaced by its clean twin. */
export const CLEAN_TASK: TaskOf<'vqa'> = {
  ...DEGRADED_TASK,
  name: 'world-vizwiz-clean',
  description: 'world-vizwiz items with their pictures drawn without the degradation (clean twins)',
  load: async (o) => (await DEGRADED_TASK.load(o)).map(cleanTwin),
};

/** The Degradation behind an item's label ('blur', 'dark', 'cover-top', ...), to check a twin re-degrades to the original. */
export function parseDegradation(label: string): Degradation {
  if (label === 'blur' || label === 'dark') return { kind: label };
  const strip = label.slice('cover-'.length);
  if (label.startsWith('cover-') && (strip === 'top' || strip === 'bottom' || strip === 'left' || strip === 'right')) return { kind: 'cover', strip };
  throw new Error(`vizwiz_twins: degradation label "${label}" is none of blur, dark, cover-{top,bottom,left,right}`);
}

/** "answerable" unless most of the ten answers are "unanswerable" (vizwiz_breakdown.ts splits by it too). */
export function answerKind(item: { answers: readonly string[] }): 'answerable' | 'unanswerable' {
  return item.answers.filter((x) => x === 'unanswerable').length >= 5 ? 'unanswerable' : 'answerable';
}

/** The groups an item counts in: its kind, kind × degradation, and the pooled groups the rule reads. */
export function groupsOf(item: WorldVqaItem): string[] {
  const kind = answerKind(item);
  const d = item.degradation ?? 'none';
  const pooled =
    kind === 'answerable' && (d === 'dark' || d === 'blur')
      ? ['answerable dark+blur']
      : kind === 'answerable' && d.startsWith('cover-')
        ? ['answerable cover']
        : [];
  return ['all', kind, `${kind}, ${d}`, ...pooled];
}
