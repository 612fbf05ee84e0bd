// The synthetic world's analogues of MM1-Chat's SFT benchmarks (paper Table 4), for models
// fine-tuned with `mm1 sft`: image multiple choice scored with MMBench's CircularEval, POPE's
// three object-existence probes, MME's paired yes/no questions, and the world VQAv2 / TextVQA
// sets asked as chat turns. Items come from src/data/world/sft_eval/ (eval scene split,
// deterministic from --seed); scoring is the public benchmarks' own (src/eval/sftbench/), so
// there is one implementation of each metric. Every prompt uses only the world's words (the
// world tokenizer has no others): options are numbered, not lettered, and the instructions are
// world sentences.
import { LATEST_WORLD_VERSION, type WorldVersion } from '../../data/world/index.js';
import { imageChoiceItems, mmePairItems, popeItems, POPE_SPLITS, type PopeSplit, type YesNoItem } from '../../data/world/sft_eval/index.js';
import type { SftBenchItem } from '../items.js';
import { circularRounds } from '../sftbench/mmbench.js';
import type { MetricByKind, Task, TaskLoadOptions, TaskOf } from '../task.js';
import { WORLD_TASKS } from './world.js';

/** Option labels: digits are world words, letters past "a" are not. */
export const OPTION_LABELS = ['1', '2', '3', '4'] as const;
/** The world's words for MMBench's "Answer with the option's letter from the given choices directly." */
export const CHOICE_INSTRUCTION = 'answer with the number.';

/** Items generated when no --limit is given. */
export const WORLD_SFT_SIZES = { mmbench: 200, pope: 300, mme: 200 } as const;

const versionOf = (o: TaskLoadOptions): WorldVersion => o.worldVersion ?? LATEST_WORLD_VERSION;
const sizeOf = (o: TaskLoadOptions) => ({ version: versionOf(o), imageSize: o.renderSize ?? 128 });

/** MMBench-style items: each question once per circular shift of its numbered options. */
export function worldChoiceItems(o: TaskLoadOptions): SftBenchItem[] {
  return imageChoiceItems(o.seed, o.limit ?? WORLD_SFT_SIZES.mmbench, sizeOf(o)).flatMap((q, group) =>
    circularRounds(q.options, q.answerIndex).map((round, k): SftBenchItem => ({
      id: `${q.id}#${k}`,
      image: q.image,
      question: `${q.question}\n${round.options.map((o, i) => `${OPTION_LABELS[i]}. ${o}`).join('\n')}\n${CHOICE_INSTRUCTION}`,
      reference: OPTION_LABELS[round.answer],
      gold: {
        bench: 'mmbench',
        group,
        round: k,
        answer: OPTION_LABELS[round.answer],
        category: q.category,
        options: Object.fromEntries(round.options.map((o, i) => [OPTION_LABELS[i], o])),
      },
    })),
  );
}

const asPope = (p: YesNoItem): SftBenchItem => ({
  id: p.id,
  image: p.image,
  question: p.question,
  reference: p.answer,
  gold: { bench: 'pope', answer: p.answer },
});
const asMme = (p: YesNoItem): SftBenchItem => ({
  id: p.id,
  image: p.image,
  question: p.question,
  reference: p.answer,
  gold: { bench: 'mme', subtask: p.about, imageName: p.pictureId, answer: p.answer },
});

type Spec = Pick<TaskOf<'sft-bench'>, 'name' | 'description' | 'metric' | 'maxNewTokens'>;

function worldSftTask(spec: Spec, load: (o: TaskLoadOptions) => SftBenchItem[]): TaskOf<'sft-bench'> {
  return {
    ...spec,
    kind: 'sft-bench',
    chat: true,
    load: async (o) => load(o),
    template: { shot: '{question} {answer}', query: '{question}', separator: '\n' },
    stop: [],
    postprocess: 'none',
  };
}

const popeTask = (split: PopeSplit): Task =>
  worldSftTask(
    {
      name: `world-pope-${split}`,
      description: `POPE ${split} analogue: "is there a red star in the picture?", half the objects absent (${split} negatives); F1, accuracy, yes-ratio`,
      metric: 'pope' satisfies MetricByKind['sft-bench'],
      maxNewTokens: 4,
    },
    (o) => popeItems(o.seed, split, o.limit ?? WORLD_SFT_SIZES.pope, sizeOf(o)).map(asPope),
  );

/** A world VQA task asked as one chat turn: the question alone, the answer read as VQA reads it. */
function chatVqa(name: string, from: string, description: string): Task {
  const base = WORLD_TASKS.find((t) => t.name === from);
  if (!base || base.kind !== 'vqa') throw new Error(`world task ${from} is not a VQA task; world_sft.ts builds its chat version from it`);
  return { ...base, name, description, chat: true, template: { shot: '{question} {answer}', query: '{question}', separator: '\n' }, stop: [] };
}

export const WORLD_SFT_TASKS: Task[] = [
  chatVqa('world-sft-vqav2', 'world-vqav2', 'VQAv2 analogue asked as a chat turn (the world-vqav2 items); VQA accuracy'),
  chatVqa('world-sft-textvqa', 'world-textvqa', 'TextVQA analogue asked as a chat turn (the world-textvqa items); VQA accuracy'),
  worldSftTask(
    {
      name: 'world-mmbench',
      description: 'MMBench / ScienceQA-IMG / SEED analogue: a question on a world picture with 4 numbered options; CircularEval accuracy',
      metric: 'mmbench',
      maxNewTokens: 8,
    },
    worldChoiceItems,
  ),
  worldSftTask(
    {
      name: 'world-mme',
      description:
        'MME analogue: a yes and a no question per picture on existence, count, position, color, OCR; acc + acc+ per subtask, perception = their sum (max 1000)',
      metric: 'mme',
      maxNewTokens: 4,
    },
    (o) => mmePairItems(o.seed, o.limit ?? WORLD_SFT_SIZES.mme, sizeOf(o)).map(asMme),
  ),
  ...POPE_SPLITS.map(popeTask),
];
