// MM1 Fig. 5 (spec §3.3): what should the pretraining data mix be? Caption pairs,
// interleaved documents, text-only, and synthetic captions, in the mixes behind MM1's four lessons.
import { MM1_MIX } from '../../data/mixture.js';
import { IMAGE_AVG, TEXT_AVG } from '../aggregate.js';
import { groupBeats, type Group, type Measure } from '../claims.js';
import type { Study, Variant } from '../study.js';
import { withOverrides } from './base.js';

/** Share of the caption weight given to synthetic captions. MM1's VeCap is ≈7% of caption data; raised so short runs see enough of it. */
const SYNTHETIC_SHARE = 0.3;

const MIXES = [
  { id: 'caption-only', label: 'caption only', interleaved: 0, caption: 100, text: 0, synthetic: 0 },
  { id: 'interleaved-only', label: 'interleaved only', interleaved: 100, caption: 0, text: 0, synthetic: 0 },
  { id: 'cap50-int50', label: 'caption : interleaved 50 : 50', interleaved: 50, caption: 50, text: 0, synthetic: 0 },
  { id: 'mm1-45-45-10', label: 'caption : interleaved : text 45 : 45 : 10', ...MM1_MIX, synthetic: 0 },
  { id: 'mm1-45-45-10-syn', label: `45 : 45 : 10 + synthetic captions (${SYNTHETIC_SHARE * 100}% of captions)`, ...MM1_MIX, synthetic: SYNTHETIC_SHARE },
] as const;

const group = (id: (typeof MIXES)[number]['id']): Group => ({ select: (v) => v.id === id, label: MIXES.find((m) => m.id === id)!.label });
const zeroShot: Measure = { metric: IMAGE_AVG, shots: ['0'] };
const fewShot: Measure = { metric: IMAGE_AVG, shots: 'few' };
const textOnly: Measure = { metric: TEXT_AVG, shots: 'all' };

export const mixtureStudy: Study = {
  name: 'mixture',
  title: 'Pretraining data mixture',
  question: 'How should captioned images, interleaved image-text documents, text-only data and synthetic captions be mixed for pretraining?',
  lesson:
    'Interleaved data is instrumental for few-shot and text-only performance, while captioning data lifts zero-shot performance. ' +
    'Text-only data helps with few-shot and text-only performance. Synthetic data helps with few-shot learning.',
  verbatim: true,
  source: 'MM1, Fig. 5',
  notes: [
    'MM1 trained 200k steps per mix and reported 0/4/8-shot averages plus TextCore; here every mix trains the same toy model for the same steps on the synthetic world, and text-only ability is the text task average (avg/text).',
    'Weights are per-sequence sampling probabilities (`data.mixture`: interleaved, caption, text, syntheticCaptionShare = the share of the caption weight drawn from synthetic captions).',
    `Synthetic captions: ${SYNTHETIC_SHARE * 100}% of the caption weight (MM1's VeCap was ≈7% of its caption data).`,
    'Architecture fixed: 64 px, encoder width 64 / depth 3, C-Abstractor with 16 tokens.',
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    MIXES.map((m): Variant => ({
      id: m.id,
      label: m.label,
      axes: { interleaved: m.interleaved, caption: m.caption, text: m.text, synthetic: m.synthetic },
      config: withOverrides(scale, { 'data.mixture': { interleaved: m.interleaved, caption: m.caption, text: m.text, syntheticCaptionShare: m.synthetic } }),
    })),
  figure: {
    kind: 'bars',
    panels: [
      { metric: IMAGE_AVG, shots: '0', title: 'image tasks 0-shot' },
      { metric: IMAGE_AVG, shots: '4', title: 'image tasks 4-shot' },
      { metric: IMAGE_AVG, shots: '8', title: 'image tasks 8-shot' },
      { metric: TEXT_AVG, shots: '0', title: 'text-only tasks' },
    ],
  },
  claims: [
    groupBeats({
      id: 'captions-zero-shot',
      text: 'Captioning data lifts zero-shot performance',
      better: group('caption-only'),
      worse: group('interleaved-only'),
      measure: zeroShot,
    }),
    groupBeats({
      id: 'interleaved-few-shot',
      text: 'Interleaved data is instrumental for few-shot performance',
      better: group('interleaved-only'),
      worse: group('caption-only'),
      measure: fewShot,
    }),
    groupBeats({
      id: 'interleaved-text',
      text: 'Interleaved data is instrumental for text-only performance',
      better: group('interleaved-only'),
      worse: group('caption-only'),
      measure: textOnly,
    }),
    groupBeats({
      id: 'text-keeps-text',
      text: 'Text-only data helps text-only performance',
      better: group('mm1-45-45-10'),
      worse: group('cap50-int50'),
      measure: textOnly,
    }),
    groupBeats({
      id: 'text-few-shot',
      text: 'Text-only data helps few-shot performance',
      better: group('mm1-45-45-10'),
      worse: group('cap50-int50'),
      measure: fewShot,
    }),
    groupBeats({
      id: 'synthetic-few-shot',
      text: 'Synthetic data helps with few-shot learning',
      better: group('mm1-45-45-10-syn'),
      worse: group('mm1-45-45-10'),
      measure: fewShot,
    }),
  ],
};
