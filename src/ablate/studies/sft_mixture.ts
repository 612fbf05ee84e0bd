// MM1's SFT-transfer finding on pretraining data (spec §5.4, "caption-only pre-training
// improves SFT zero-shot metrics"): pretrain on caption-only, interleaved-only and MM1's
// 45:45:10 mixes, fine-tune each the same way, and score the fine-tuned models zero-shot on the
// world's MM1-Chat analogues (`mm1 eval --suite sft`).
import { MM1_MIX } from '../../data/mixture.js';
import { IMAGE_AVG } from '../aggregate.js';
import { groupBeats, type Group, type Measure } from '../claims.js';
import type { Study, Variant } from '../study.js';
import { BUDGETS } from './base.js';
import { fineTuned, SFT_SUITE_ROWS } from './sft_suite.js';

const MIXES = [
  { id: 'caption-only', label: 'caption only, fine-tuned', interleaved: 0, caption: 100, text: 0 },
  { id: 'interleaved-only', label: 'interleaved only, fine-tuned', interleaved: 100, caption: 0, text: 0 },
  { id: 'mm1-45-45-10', label: 'caption : interleaved : text 45 : 45 : 10, fine-tuned', ...MM1_MIX },
] as const;

const group = (id: (typeof MIXES)[number]['id']): Group => ({ select: (v) => v.id === id, label: MIXES.find((m) => m.id === id)!.label });
const sftZeroShot: Measure = { metric: IMAGE_AVG, shots: ['0'] };

export const sftMixtureStudy: Study = {
  name: 'sft-mixture',
  title: 'Pretraining data and zero-shot results after supervised fine-tuning',
  question: 'Does the pretraining data mix still matter once the model is fine-tuned, and does caption-only pretraining help its zero-shot results?',
  lesson: 'Caption-only pre-training improves SFT zero-shot metrics.',
  verbatim: false,
  source: 'MM1, §5 (SFT-transfer findings; spec §5.4, from summaries)',
  notes: [
    `Each mix pretrains the base model (64 px, C-Abstractor with 16 tokens) for the same steps, then fine-tunes ${BUDGETS.smoke.sftSteps} (smoke) / ${BUDGETS.default.sftSteps} (default) steps on the world's SFT conversations.`,
    `Every variant is scored zero-shot on the world SFT suite; avg/image is the mean of ${SFT_SUITE_ROWS.map((r) => r.key).join(', ')} (CircularEval accuracy per question, MME's (acc + acc+)/2 per picture, POPE accuracy per question, VQA accuracy per question).`,
    "The 45:45:10 variant's pretraining is the base run's, shared with the sft-connector study's C-Abstractor variants when both run with the same --cache.",
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    MIXES.map((m): Variant => ({
      id: m.id,
      label: m.label,
      axes: { interleaved: m.interleaved, caption: m.caption, text: m.text },
      config: fineTuned(scale, { 'data.mixture': { interleaved: m.interleaved, caption: m.caption, text: m.text, syntheticCaptionShare: 0 } }),
    })),
  figure: { kind: 'bars', panels: [{ metric: IMAGE_AVG, shots: '0', title: 'world SFT suite, 0-shot' }] },
  claims: [
    groupBeats({
      id: 'captions-help-sft',
      text: 'Caption-only pretraining improves SFT zero-shot results over the 45:45:10 mix',
      better: group('caption-only'),
      worse: group('mm1-45-45-10'),
      measure: sftZeroShot,
    }),
    groupBeats({
      id: 'captions-beat-interleaved-sft',
      text: 'Caption-only pretraining improves SFT zero-shot results over interleaved-only',
      better: group('caption-only'),
      worse: group('interleaved-only'),
      measure: sftZeroShot,
    }),
  ],
};
