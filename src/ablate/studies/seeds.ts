// Not one of MM1's ablations but what reading them needs: how much one run's score moves with
// the training seed alone. The base run (the variant every other study contains) is repeated
// over seeds, on the same evaluation items, and the report gives the pooled std of each claim
// measure. The studies' verdicts do not use it: their intervals carry their own seeds' spread.
import { IMAGE_AVG, TEXT_AVG } from '../aggregate.js';
import type { Measure } from '../claims.js';
import type { Study } from '../study.js';
import { baseConfig } from './base.js';

/** Every measure the studies' claims use (overall, zero-shot, few-shot, text-only). */
export const CLAIM_MEASURES: readonly Measure[] = [
  { metric: IMAGE_AVG, shots: 'all' },
  { metric: IMAGE_AVG, shots: ['0'] },
  { metric: IMAGE_AVG, shots: 'few' },
  { metric: TEXT_AVG, shots: 'all' },
];

export const seedsStudy: Study = {
  name: 'seeds',
  title: 'Seed-to-seed spread of the base run',
  question: 'How much does one run of the base configuration move with the training seed alone, on the same evaluation items?',
  lesson: 'MM1 reports single runs at a scale where seed noise is small; at toy scale it is not, and every verdict must be read against it.',
  verbatim: false,
  source: 'not an MM1 ablation: the noise floor for reading the others',
  notes: [
    'One variant, the base run every study contains (64 px, small encoder, C-Abstractor with 16 tokens, 45:45:10 data), over 3 seeds. Run it with the same --cache as the other studies and seed 0 is shared.',
    'The seed changes the model initialisation, the data order and the CLIP stage; the evaluation items and shots are the same for every seed (eval seed 0), so the spread is training noise only.',
    'The "Seed spread" section gives the pooled std of each claim measure (issue #11 asks for at most 1.5 points on avg/image at default scale).',
  ],
  seeds: { smoke: 3, default: 3 },
  variants: (scale) => [{ id: 'base', label: 'base run', axes: { run: 'base' }, config: baseConfig(scale) }],
  figure: { kind: 'bars' },
  spreadMeasures: CLAIM_MEASURES,
  claims: [],
};
