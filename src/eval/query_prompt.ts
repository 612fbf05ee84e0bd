// A query's prompts with its shots, made to fit the model: the generation prompt and/or one
// likelihood request per scored continuation. When the prompt (with room for the answer) is
// longer than the model's context, the earliest shots go first — with 'similar' selection
// those are the least similar — and the caller is told; nothing is truncated mid-example.
import type { LikelihoodRequest, Mm1Model, Prompt } from '../model/infer/api.js';
import type { ImageCache } from './images.js';
import type { ItemsByKind, TaskKind } from './items.js';
import type { KindAdapter } from './kinds/index.js';
import { exampleParts, joinExamples, toPrompt, type PromptPart } from './prompt.js';
import type { TaskOf } from './task.js';
import { fillTemplate } from './template.js';

export interface QueryPrompt<I> {
  item: I;
  /** The shots in the prompt, in order. */
  shots: I[];
  /** The generation prompt (or the first request's context) before images are decoded, for logs. */
  parts: PromptPart[];
  generation?: Prompt;
  requests: LikelihoodRequest[];
}

export interface QueryPrompter<I> {
  /** The prompt with as many of `shots` as fit (all of them, or fail, with onOverflow 'fail'). */
  fit(item: I, shots: I[]): Promise<QueryPrompt<I>>;
  /** How many queries lost shots so far. */
  readonly reduced: number;
}

export function queryPrompter<K extends TaskKind>(
  model: Mm1Model,
  task: TaskOf<K>,
  adapter: KindAdapter<K>,
  images: ImageCache,
  onOverflow: 'reduce' | 'fail',
  label: string,
): QueryPrompter<ItemsByKind[K]> {
  type I = ItemsByKind[K];
  const { contextLength } = model.info;
  const separator = task.template.separator ?? ' ';
  const where = `task ${task.name}`;
  const shotParts = (shot: I) => exampleParts(fillTemplate(task.template.shot, adapter.vars(shot), where), adapter.image?.(shot));
  const queryParts = (item: I, vars: Record<string, string>) => exampleParts(fillTemplate(task.template.query, vars, where), adapter.image?.(item));
  const continuation = task.template.continuation;

  /** The prompts and the most tokens any of them needs, answer included. */
  async function build(item: I, shots: I[]): Promise<{ q: QueryPrompt<I>; tokens: number }> {
    const examples = shots.map(shotParts);
    const parts = joinExamples([...examples, queryParts(item, adapter.vars(item))], separator);
    const q: QueryPrompt<I> = { item, shots, parts, requests: [] };
    let tokens = 0;
    if (adapter.generates) {
      q.generation = await toPrompt(parts, images);
      // Fine-tuned models answer a user turn (the SFT chat template), not a bare continuation.
      if (task.chat && 'segments' in q.generation) q.generation = { conversation: { id: item.id, turns: [{ role: 'user', segments: q.generation.segments }] } };
      tokens = model.countTokens(q.generation) + task.maxNewTokens;
    }
    for (const vars of continuation !== undefined ? (adapter.likelihoodVars?.(item) ?? []) : []) {
      const context = await toPrompt(joinExamples([...examples, queryParts(item, vars)], separator), images);
      const request = { context, continuation: fillTemplate(continuation!, vars, where) };
      q.requests.push(request);
      const segments = 'segments' in context ? context.segments : [];
      tokens = Math.max(tokens, model.countTokens({ segments: [...segments, { kind: 'text', text: request.continuation }] }));
    }
    return { q, tokens };
  }

  let reduced = 0;
  return {
    get reduced() {
      return reduced;
    },
    async fit(item, selected) {
      for (let shots = selected; ; shots = shots.slice(1)) {
        const { q, tokens } = await build(item, shots);
        if (tokens <= contextLength) {
          if (shots !== selected) reduced++;
          return q;
        }
        const why = `${label}: item ${item.id} with ${shots.length} shots needs ${tokens} tokens (answer included), more than the model's contextLength ${contextLength}`;
        if (shots.length === 0) throw new Error(`${why}, even without shots. The item is too long for this model.`);
        if (onOverflow === 'fail') throw new Error(`${why}. Ask for fewer shots (--shots) or allow reducing k.`);
      }
    },
  };
}
