// The synthetic world's benchmark analogues (docs/world.md). Items come from the world's
// 'test' split (scenes never drawn for training); shots from its 'shots' split (training
// scenes and stories), so a shot never shows the query's picture. Held-out tasks take
// their shots from ordinary training pictures: the unseen shape×colour pairs appear only
// in queries.
import { DEFAULT_EVAL_SIZES, LATEST_WORLD_VERSION, worldEvalSets, type WorldEvalSets } from '../../data/world/index.js';
import type { Task, TaskLoadOptions } from '../task.js';
import { MM1_CAPTION, MM1_CLOZE, MM1_MULTIPLE_CHOICE, MM1_OPEN_QA, MM1_VQA } from './prompt_formats.js';
import { worldSetCache } from './world_set_cache.js';

type SetName = keyof WorldEvalSets;

/** One world set: the first `limit` items (generation is sequential, so the first n items do
 *  not depend on how many are made), kept for the next evaluation that asks for them. */
async function worldSet<S extends SetName>(set: S, split: 'test' | 'shots', opts: TaskLoadOptions): Promise<WorldEvalSets[S]> {
  const n = split === 'test' && opts.limit !== undefined ? Math.min(opts.limit, DEFAULT_EVAL_SIZES[set]) : DEFAULT_EVAL_SIZES[set];
  const version = opts.worldVersion ?? LATEST_WORLD_VERSION;
  return worldSetCache.get<S>({ set, split, seed: opts.seed, version, renderSize: opts.renderSize }, n, (count) => {
    const sizes = Object.fromEntries(Object.keys(DEFAULT_EVAL_SIZES).map((k) => [k, 0])) as Record<SetName, number>;
    sizes[set] = count;
    return worldEvalSets(opts.seed, sizes, { split, version, imageSize: opts.renderSize })[set];
  });
}

const from = <S extends SetName>(test: S, shots: SetName = test) => ({
  load: (o: TaskLoadOptions) => worldSet(test, 'test', o),
  shots: (o: TaskLoadOptions) => worldSet(shots, 'shots', o) as Promise<WorldEvalSets[S]>,
});

export const WORLD_TASKS: Task[] = [
  {
    name: 'world-coco',
    kind: 'caption',
    description: 'COCO analogue: caption world pictures (5 references); CIDEr',
    ...from('captions'),
    ...MM1_CAPTION,
    metric: 'coco-caption',
  },
  {
    name: 'world-nocaps',
    kind: 'caption',
    description: 'NoCaps analogue: caption pictures made only of shape×colour pairs never seen in training; CIDEr',
    ...from('heldoutCaptions', 'captions'),
    ...MM1_CAPTION,
    metric: 'coco-caption',
  },
  {
    name: 'world-textcaps',
    kind: 'caption',
    description: 'TextCaps analogue: pictures with a written word, every reference names it; CIDEr',
    ...from('textCaptions'),
    ...MM1_CAPTION,
    metric: 'coco-caption',
  },
  {
    name: 'world-vqav2',
    kind: 'vqa',
    description: 'VQAv2 analogue: colour, shape, count, existence (v2: also pattern, dots); VQA accuracy',
    ...from('vqa'),
    ...MM1_VQA,
    metric: 'vqa-accuracy',
  },
  {
    name: 'world-vizwiz',
    kind: 'vqa',
    description: 'VizWiz analogue: blurred, dark or half-covered pictures, some questions "unanswerable"; VQA accuracy',
    ...from('vizwiz'),
    ...MM1_VQA,
    metric: 'vqa-accuracy',
  },
  {
    name: 'world-okvqa',
    kind: 'vqa',
    description: 'OK-VQA analogue: the picture says which thing, only text documents state the answer; VQA accuracy',
    ...from('okvqa'),
    ...MM1_VQA,
    metric: 'vqa-accuracy',
  },
  {
    name: 'world-textvqa',
    kind: 'vqa',
    description: 'TextVQA analogue: what is written; VQA accuracy',
    ...from('textVqa'),
    ...MM1_VQA,
    metric: 'vqa-accuracy',
  },
  {
    name: 'world-gqa',
    kind: 'gqa',
    description: 'GQA analogue: spatial relations, one answer; exact match',
    ...from('gqa'),
    ...MM1_VQA,
    metric: 'gqa-accuracy',
  },
  {
    name: 'world-heldout-vqa',
    kind: 'vqa',
    description: 'questions about pictures made only of unseen shape×colour pairs; VQA accuracy',
    ...from('heldoutVqa', 'vqa'),
    ...MM1_VQA,
    metric: 'vqa-accuracy',
  },
  {
    name: 'world-mc',
    kind: 'multiple-choice',
    description: 'ARC/HellaSwag analogue: facts and story endings, 4 choices; log-likelihood accuracy',
    ...from('multipleChoice'),
    ...MM1_MULTIPLE_CHOICE,
    metric: 'loglik-choice',
  },
  {
    name: 'world-cloze',
    kind: 'cloze',
    description: 'LAMBADA analogue: the last word of a held-out story; last-word accuracy',
    ...from('cloze'),
    ...MM1_CLOZE,
    metric: 'last-word',
  },
  {
    name: 'world-openqa',
    kind: 'open-qa',
    description: "TriviaQA analogue: questions on the world's facts; exact match",
    ...from('openQa'),
    ...MM1_OPEN_QA,
    metric: 'exact-match',
  },
];
