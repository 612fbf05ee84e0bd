// The public image benchmarks of MM1's pre-training evaluation, read from local files in
// their released formats by the data readers (src/data/formats/). Images stay on disk until
// a prompt needs them. Shots come from --shots-data (a training split, same format) or,
// without it, from the evaluated items themselves, never the query.
import { readCocoCaptionEval } from '../../data/formats/coco.js';
import type { VqaFileItem } from '../../data/formats/vqa.js';
import { readVqaV2 } from '../../data/formats/vqa.js';
import { readGqa, readTextVqa, readVizWiz } from '../../data/formats/vqa_variants.js';
import type { Reader } from '../../data/formats/reader.js';
import { collect } from '../formats/jsonl.js';
import type { CaptionItem, VqaItem } from '../items.js';
import type { Task, TaskLoadOptions } from '../task.js';
import { dataParts } from './data_spec.js';
import { MM1_CAPTION, MM1_VQA } from './prompt_formats.js';

type Spec = { name: string; data: NonNullable<Task['data']> };

function captionTask(name: string, description: string, example: string): Task {
  const task: Spec = { name, data: { format: 'ANNOTATIONS.json:IMAGE_DIR', example } };
  return {
    ...task,
    kind: 'caption',
    description,
    ...MM1_CAPTION,
    metric: 'coco-caption',
    async load(o: TaskLoadOptions): Promise<CaptionItem[]> {
      const [annotations, imageRoot] = dataParts(task, o.data);
      const items = await collect(readCocoCaptionEval(annotations, { imageRoot }), o.limit);
      return items.map((it) => ({ id: it.imageId, image: { path: it.imagePath }, references: it.references }));
    },
  };
}

async function vqaItems(task: Spec, reader: Reader<VqaFileItem>, limit?: number): Promise<VqaItem[]> {
  const items = await collect(reader, limit);
  const unanswered = items.find((it) => it.answers.length === 0);
  if (unanswered) {
    throw new Error(
      `task ${task.name}: question ${unanswered.questionId} has no answers (a test split?). Evaluate on an annotated split; test-dev is scored by the benchmark's server.`,
    );
  }
  return items.map((it) => ({
    id: it.questionId,
    image: { path: it.imagePath },
    question: it.question,
    answers: it.answers,
    ...(it.answerType !== undefined ? { answerType: it.answerType } : {}),
  }));
}

function vqaTask(name: string, kind: 'vqa' | 'gqa', description: string, data: Spec['data'], read: (parts: string[]) => Reader<VqaFileItem>): Task {
  const task: Spec = { name, data };
  const load = (o: TaskLoadOptions) => vqaItems(task, read(dataParts(task, o.data)), o.limit);
  return kind === 'vqa'
    ? { ...task, kind, description, load, ...MM1_VQA, metric: 'vqa-accuracy' }
    : { ...task, kind, description, load, ...MM1_VQA, metric: 'gqa-accuracy' };
}

const vqaFormat = 'QUESTIONS.json:ANNOTATIONS.json:IMAGE_DIR';

export const PUBLIC_VISION_TASKS: Task[] = [
  captionTask('coco', 'COCO captions (Karpathy test in COCO format); CIDEr', 'captions_karpathy_test.json:val2014/'),
  captionTask('nocaps', 'NoCaps val (COCO-format annotations); CIDEr', 'nocaps_val_4500_captions.json:nocaps/val/'),
  captionTask('textcaps', 'TextCaps val (COCO-format annotations); CIDEr', 'TextCaps_0.1_val_coco.json:train_images/'),
  vqaTask(
    'vqav2',
    'vqa',
    'VQAv2 (official questions/annotations JSON); VQA accuracy',
    { format: vqaFormat, example: 'v2_OpenEnded_mscoco_val2014_questions.json:v2_mscoco_val2014_annotations.json:val2014/' },
    ([questions, annotations, imageRoot]) => readVqaV2({ questions, annotations }, { imageRoot }),
  ),
  vqaTask(
    'okvqa',
    'vqa',
    'OK-VQA v1.1 (VQAv2 format); official VQA accuracy against its stemmed answers, predictions unstemmed (OpenFlamingo stems them)',
    { format: vqaFormat, example: 'OpenEnded_mscoco_val2014_questions.json:mscoco_val2014_annotations.json:val2014/' },
    ([questions, annotations, imageRoot]) => readVqaV2({ questions, annotations, dataset: 'okvqa' }, { imageRoot }),
  ),
  vqaTask(
    'textvqa',
    'vqa',
    'TextVQA val; VQA accuracy',
    { format: 'TEXTVQA.json:IMAGE_DIR', example: 'TextVQA_0.5.1_val.json:train_images/' },
    ([path, imageRoot]) => readTextVqa(path, { imageRoot }),
  ),
  vqaTask('vizwiz', 'vqa', 'VizWiz VQA val; VQA accuracy', { format: 'VIZWIZ.json:IMAGE_DIR', example: 'val.json:val/' }, ([path, imageRoot]) =>
    readVizWiz(path, { imageRoot }),
  ),
  vqaTask(
    'gqa',
    'gqa',
    'GQA (balanced questions JSON); exact match',
    { format: 'QUESTIONS.json:IMAGE_DIR', example: 'testdev_balanced_questions.json:images/' },
    ([path, imageRoot]) => readGqa(path, { imageRoot }),
  ),
];
