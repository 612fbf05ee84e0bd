// What the SFT-transfer studies need from a run: variants that fine-tune after pretraining and
// are evaluated on the world's MM1-Chat analogues (the `world-sft` tasks, zero-shot, as MM1
// reports its SFT numbers; the ablation runner calls jobs/sft_suite_eval.ts), and how that
// evaluation becomes run metrics whose per-item scores average to the metric, as claims need
// (runner.ts, ItemScores):
// - VQA / TextVQA analogues: VQA accuracy per question, under the pretraining runs' keys
//   (vqa/accuracy, reading/accuracy), so a pretrained and a fine-tuned run pair item by item;
// - image multiple choice: one item per question, 100 only if every circular shift was right
//   (CircularEval accuracy);
// - MME analogue: one item per picture, (its accuracy + its accuracy+) / 2, so the metric is
//   the mean over pictures of MME's per-subtask score halved onto 0–100 (MME sums subtasks);
// - POPE analogues: accuracy per question (F1, POPE's headline, is not a mean over items).
import { mergeConfig, nested } from '../config_paths.js';
import type { AblationRunConfig } from '../runner.js';
import type { Scale } from '../study.js';
import { BUDGETS, SFT_IMAGES_PER_SEQUENCE, trainingSeqLen, withOverrides } from './base.js';

/** How a task's per-sample scores become items: as they are, or grouped by the part of the id before '#'. */
type Reduce = 'sample' | 'circular' | 'picture-pair';

export const SFT_SUITE_ROWS: readonly { task: string; key: string; reduce: Reduce }[] = [
  { task: 'world-sft-vqav2', key: 'vqa/accuracy', reduce: 'sample' },
  { task: 'world-sft-textvqa', key: 'reading/accuracy', reduce: 'sample' },
  { task: 'world-mmbench', key: 'mmbench/circular', reduce: 'circular' },
  { task: 'world-mme', key: 'mme/score', reduce: 'picture-pair' },
  { task: 'world-pope-random', key: 'pope-random/accuracy', reduce: 'sample' },
  { task: 'world-pope-popular', key: 'pope-popular/accuracy', reduce: 'sample' },
  { task: 'world-pope-adversarial', key: 'pope-adversarial/accuracy', reduce: 'sample' },
];

/** Per-item scores of one task from its samples (ids "<question>#<round>" for circular, "<picture>#<yes|no>" for MME pairs). */
export function reduceSamples(samples: readonly { id: string; score: number }[], reduce: Reduce): Record<string, number> {
  if (reduce === 'sample') return Object.fromEntries(samples.map((s) => [s.id, s.score]));
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    const at = s.id.lastIndexOf('#');
    if (at < 0) throw new Error(`sample id ${s.id} has no '#<round>' part; ${reduce} scoring groups samples by the id before it`);
    const g = s.id.slice(0, at);
    groups.set(g, [...(groups.get(g) ?? []), s.score]);
  }
  const out: Record<string, number> = {};
  for (const [g, scores] of groups) {
    const allRight = scores.every((x) => x === 100) ? 100 : 0;
    out[g] = reduce === 'circular' ? allRight : (scores.reduce((a, b) => a + b, 0) / scores.length + allRight) / 2;
  }
  return out;
}

/** Image tokens per picture in every SFT-transfer variant (the base run's C-Abstractor count). */
const SFT_TOKENS = 16;

/**
 * A variant that pretrains as `overrides` say, fine-tunes on the world's SFT conversations
 * (BUDGETS[scale].sftSteps) and is evaluated on the SFT suite. Evaluation items per task:
 * eval.examplesPerTask (an even number, so MME keeps both questions of each picture).
 */
export function fineTuned(scale: Scale, overrides: Record<string, unknown>): AblationRunConfig {
  return mergeConfig(
    withOverrides(scale, overrides),
    nested({
      'sft.steps': BUDGETS[scale].sftSteps,
      'sft.seqLen': trainingSeqLen(SFT_IMAGES_PER_SEQUENCE, SFT_TOKENS),
      'sft.maxImages': SFT_IMAGES_PER_SEQUENCE,
      'eval.suite': 'sft',
      'eval.shots': [0],
    }),
  );
}

/**
 * The same pretraining, not fine-tuned (`sft.steps` 0: the runner skips fine-tuning but keeps
 * the pretraining in the directory the fine-tuned variant shares), evaluated as pretrained
 * models are (the world tasks in their pretraining format), zero-shot.
 */
export function pretrainedOnly(scale: Scale, overrides: Record<string, unknown>): AblationRunConfig {
  return mergeConfig(withOverrides(scale, overrides), nested({ 'sft.steps': 0, 'eval.shots': [0] }));
}
