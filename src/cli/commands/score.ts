// `mm1 score caption|vqa`: score a results file against the annotations with the reference
// metrics (pycocoevalcap BLEU/ROUGE-L/CIDEr-D; official VQA accuracy) and print JSON.
import type { Command } from 'commander';
import { loadCaptionScoring } from '../../eval/score_files/coco_captions.js';
import { scoreCaptions } from '../../eval/metrics/caption_scores.js';
import { vqaAccuracy } from '../../eval/metrics/vqa_accuracy.js';
import { loadVqaScoring } from '../../eval/score_files/vqa.js';

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

export function register(program: Command): void {
  const score = program.command('score').description('Score model outputs with the reference captioning and VQA metrics; prints JSON.');

  score
    .command('caption')
    .description(
      'BLEU-1..4, ROUGE-L and CIDEr-D exactly as pycocoevalcap (COCO, NoCaps, TextCaps), ' +
        'including its PTB tokenisation. Scores the images that have a result; CIDEr document ' +
        'frequencies come from their references. Values are fractions: papers print CIDEr x100.',
    )
    .requiredOption('--results <file>', 'COCO results JSON: [{"image_id": 42, "caption": "a dog on a sofa"}, ...]')
    .requiredOption('--annotations <file>', 'COCO captions annotations JSON: {"images": [...], "annotations": [{"image_id", "caption"}, ...]}')
    .addHelpText(
      'after',
      '\nExample:\n  mm1 score caption --results runs/coco-8shot.json --annotations data/captions_karpathy_test.json\n' +
        '  {\n    "BLEU_1": 0.7612, ..., "CIDEr": 1.146\n  }',
    )
    .action((opts: { results: string; annotations: string }) => {
      const s = scoreCaptions(loadCaptionScoring(opts.results, opts.annotations));
      print({ BLEU_1: s.BLEU_1, BLEU_2: s.BLEU_2, BLEU_3: s.BLEU_3, BLEU_4: s.BLEU_4, ROUGE_L: s.ROUGE_L, CIDEr: s.CIDEr });
    });

  score
    .command('vqa')
    .description(
      'VQA accuracy exactly as the official VQA evaluation (VQAv2, TextVQA, VizWiz, OK-VQA): ' +
        'min(#humans agreeing / 3, 1) averaged over the 10 leave-one-out subsets, in percent, ' +
        'rounded to 2 decimals, overall and per answer type. OK-VQA: use the v1.1 annotations; ' +
        'predictions are not stemmed, as in the official tool (OpenFlamingo stems them).',
    )
    .requiredOption('--results <file>', 'VQA results JSON: [{"question_id": 1, "answer": "yes"}, ...]')
    .requiredOption('--questions <file>', 'VQA questions JSON: {"questions": [{"question_id", "image_id", "question"}, ...]}')
    .requiredOption('--annotations <file>', 'VQA annotations JSON: {"annotations": [{"question_id", "answers", "answer_type", "question_type"}, ...]}')
    .option('--subset', 'score only the answered questions (the official tool requires an answer for every question)', false)
    .addHelpText(
      'after',
      '\nExample:\n  mm1 score vqa --results runs/vqav2-0shot.json \\\n' +
        '    --questions data/v2_OpenEnded_mscoco_val2014_questions.json \\\n' +
        '    --annotations data/v2_mscoco_val2014_annotations.json\n' +
        '  {\n    "overall": 63.6,\n    "perAnswerType": { "yes/no": 80.1, "number": 45.2, "other": 55.3 }\n  }',
    )
    .action((opts: { results: string; questions: string; annotations: string; subset: boolean }) => {
      const questions = loadVqaScoring(opts, { subset: opts.subset });
      const acc = vqaAccuracy(questions);
      print({ overall: acc.overall, perAnswerType: acc.perAnswerType });
    });
}
