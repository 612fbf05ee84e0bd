// MM1 Fig. 4 (spec §2.1): does the vision-language connector's architecture matter, or
// how many image tokens it produces? Grid: connector kind × image tokens, at a fixed resolution.
import { IMAGE_AVG } from '../aggregate.js';
import { axisEffect, axisRange, effectBeats, groupBeats, type Measure } from '../claims.js';
import type { Study, Variant } from '../study.js';
import { contextFor, fairLengths, IMAGES_PER_SEQUENCE, trainingSeqLen, withOverrides } from './base.js';

const KINDS = ['avgpool', 'attnpool', 'cabstractor'] as const;
const LABELS: Record<(typeof KINDS)[number], string> = { avgpool: 'average pooling', attnpool: 'attention pooling', cabstractor: 'C-Abstractor' };
/** Square counts (2×2, 4×4, 8×8) so average pooling and the C-Abstractor pool to a grid. */
const TOKENS = [4, 16, 64] as const;

const overall: Measure = { metric: IMAGE_AVG, shots: 'all' };

export const connectorStudy: Study = {
  name: 'connector',
  title: 'Vision-language connector: type and number of image tokens',
  question: 'Does the architecture of the vision-language connector matter, or the number of image tokens it hands to the LLM?',
  lesson: 'Number of visual tokens and image resolution matters most, while the type of VL connector has little effect.',
  verbatim: true,
  source: 'MM1, Fig. 4',
  notes: [
    'MM1: average pooling, attention pooling and C-Abstractor × 64 / 144 tokens × 224 / 336 px. Here: the same three connectors × 4 / 16 / 64 tokens at 64 px (patch 8: an 8×8 patch grid, so 64 tokens keeps every patch).',
    'Resolution, the other half of the lesson, is measured by the encoder study; keeping it fixed here keeps the grid to 9 variants.',
    'Encoder width 64, depth 3; data 45/45/10.',
    `Fair comparison: every variant packs ${IMAGES_PER_SEQUENCE} images into a training sequence (its \`train.seqLen\` grows with its tokens per image: ${TOKENS.map((t) => trainingSeqLen(IMAGES_PER_SEQUENCE, t)).join(' / ')} tokens), and a context that holds an 8-shot prompt of its images (${TOKENS.map((t) => contextFor(t)).join(' / ')} tokens), so every prompt holds all 8 shots. (At a fixed 256 / 512, 64-token variants got ~2.6 images per sequence and 5 of 8 shots.)`,
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    KINDS.flatMap((connector) =>
      TOKENS.map(
        (tokens): Variant => ({
          id: `${connector}-${tokens}`,
          label: `${LABELS[connector]}, ${tokens} tokens`,
          axes: { connector, tokens },
          config: withOverrides(scale, { 'model.connector.kind': connector, 'model.connector.tokens': tokens, ...fairLengths(tokens) }),
        }),
      ),
    ),
  figure: { kind: 'lines', x: 'tokens', series: 'connector', logX: true },
  claims: [
    groupBeats({
      id: 'tokens-help',
      text: 'The number of visual tokens matters: more image tokens give better results',
      better: { select: { tokens: 64 }, label: '64 tokens' },
      worse: { select: { tokens: 4 }, label: '4 tokens' },
      measure: overall,
    }),
    effectBeats({
      id: 'type-matters-little',
      text: 'The type of VL connector has little effect (less than the number of tokens)',
      larger: axisEffect('tokens', 4, 64, 'token effect (4 → 64)'),
      smaller: axisRange('connector', 'spread between connector types (best − worst)'),
      measure: overall,
    }),
  ],
};
