// MM1-Chat's SFT benchmarks (paper Table 4) from the files users download. Each is asked as a
// chat turn (the SFT template) and scored by its official parser and metric
// (src/eval/sftbench/). LLaVA-Bench and MM-Vet need a GPT-4 judge: their tasks write the
// answer file the official judge script takes, next to the samples.
import type { SftBenchItem } from '../items.js';
import { renderLlavaBenchAnswers, renderMmVetResults, readLlavaBench, readMmVet } from '../sftbench/judge_files.js';
import { readMathVista } from '../sftbench/mathvista.js';
import { readMmbench } from '../sftbench/mmbench.js';
import { readMme } from '../sftbench/mme_read.js';
import { readMmmu } from '../sftbench/mmmu.js';
import { readPope } from '../sftbench/pope.js';
import { readScienceQaImg } from '../sftbench/scienceqa.js';
import { readSeedBench } from '../sftbench/seed_bench.js';
import type { MetricByKind, Task, TaskLoadOptions, TaskOf } from '../task.js';
import { dataParts } from './data_spec.js';

type Spec = Pick<TaskOf<'sft-bench'>, 'name' | 'description' | 'metric' | 'maxNewTokens' | 'answerFile'> & { data: NonNullable<Task['data']> };

function sftTask(spec: Spec, read: (parts: string[], limit?: number) => SftBenchItem[] | Promise<SftBenchItem[]>): TaskOf<'sft-bench'> {
  return {
    ...spec,
    kind: 'sft-bench',
    chat: true,
    load: async (o: TaskLoadOptions) => read(dataParts(spec, o.data), o.limit),
    template: { shot: '{question} {answer}', query: '{question}', separator: '\n' },
    stop: [],
    postprocess: 'none',
  };
}

const LETTER_TOKENS = 16;
const pope = (split: string): Task =>
  sftTask(
    {
      name: `pope-${split}`,
      description: `POPE ${split} (COCO); F1, accuracy, precision, recall, yes-ratio as POPE's evaluate.py`,
      metric: 'pope' satisfies MetricByKind['sft-bench'],
      maxNewTokens: 8,
      data: { format: 'POPE.json:IMAGE_DIR', example: `coco_pope_${split}.json:val2014/` },
    },
    ([file, images], limit) => readPope(file, images, limit),
  );

export const SFT_BENCH_TASKS: Task[] = [
  sftTask(
    {
      name: 'scienceqa-img',
      description: 'ScienceQA-IMG test (image questions); accuracy, answers parsed as LLaVA eval_science_qa.py',
      metric: 'scienceqa',
      maxNewTokens: LETTER_TOKENS,
      data: { format: 'PROBLEMS.json:IMAGE_ROOT', example: 'problems.json:ScienceQA/' },
    },
    ([problems, root], limit) => readScienceQaImg(problems, root, limit),
  ),
  sftTask(
    {
      name: 'mmmu',
      description: 'MMMU val (HF parquet); accuracy with MMMU eval_utils answer parsing',
      metric: 'mmmu',
      maxNewTokens: 32,
      data: { format: 'MMMU_DIR', example: 'MMMU/' },
    },
    ([dir], limit) => readMmmu(dir, limit),
  ),
  sftTask(
    {
      name: 'mathvista',
      description: 'MathVista testmini (HF parquet); accuracy, rule-based answer extraction in place of GPT-4',
      metric: 'mathvista',
      maxNewTokens: 32,
      data: { format: 'TESTMINI.parquet', example: 'MathVista/data/testmini-00000-of-00001.parquet' },
    },
    ([file], limit) => readMathVista(file, limit),
  ),
  sftTask(
    {
      name: 'mme',
      description: 'MME (release folder or HF parquet); perception and cognition scores (acc + acc+) as calculation.py',
      metric: 'mme',
      maxNewTokens: 8,
      data: { format: 'MME_PATH', example: 'MME_Benchmark_release_version/' },
    },
    ([dir], limit) => readMme(dir, limit),
  ),
  sftTask(
    {
      name: 'mmbench',
      description: 'MMBench dev (TSV, base64 images); CircularEval accuracy',
      metric: 'mmbench',
      maxNewTokens: LETTER_TOKENS,
      data: { format: 'MMBENCH.tsv', example: 'MMBench_DEV_EN.tsv' },
    },
    ([file], limit) => readMmbench(file, limit),
  ),
  sftTask(
    {
      name: 'seed-bench',
      description: 'SEED-Bench image part (dimensions 1-9); accuracy, letter answers',
      metric: 'seed',
      maxNewTokens: LETTER_TOKENS,
      data: { format: 'SEED-Bench.json:IMAGE_DIR', example: 'SEED-Bench.json:SEED-Bench-image/' },
    },
    ([file, images], limit) => readSeedBench(file, images, limit),
  ),
  pope('random'),
  pope('popular'),
  pope('adversarial'),
  sftTask(
    {
      name: 'llava-bench',
      description: 'LLaVA-Bench in-the-wild: writes answers.<k>shot.jsonl for LLaVA eval_gpt_review_bench.py (GPT-4 judge)',
      metric: 'judge-answers',
      maxNewTokens: 128,
      data: { format: 'QUESTIONS.jsonl:IMAGE_DIR', example: 'llava-bench-in-the-wild/questions.jsonl:llava-bench-in-the-wild/images/' },
      answerFile: { name: (k) => `llava-bench.answers.${k}shot.jsonl`, render: renderLlavaBenchAnswers },
    },
    ([file, images], limit) => readLlavaBench(file, images, limit),
  ),
  sftTask(
    {
      name: 'mm-vet',
      description: 'MM-Vet: writes results.<k>shot.json for the MM-Vet GPT-4 evaluator',
      metric: 'judge-answers',
      maxNewTokens: 128,
      data: { format: 'MM-VET.json:IMAGE_DIR', example: 'mm-vet/mm-vet.json:mm-vet/images/' },
      answerFile: { name: (k) => `mm-vet.results.${k}shot.json`, render: renderMmVetResults },
    },
    ([file, images], limit) => readMmVet(file, images, limit),
  ),
];
