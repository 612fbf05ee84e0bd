// MM1 Fig. 4 (spec §2.1): does the vision-language connector's architecture matter, or
// how many image tokens it produces? A plus-shaped grid at a fixed resolution: the C-Abstractor
// at 4 / 16 / 64 tokens (the token claim) and the three connector types at 16 tokens (the type
// claim). The full 3 × 3 grid's other four cells (average and attention pooling at 4 and 64
// tokens) fed no claim once each claim reads its own slice, and cost 4 of the 8 runs per seed
// that the base run does not already give (docs/results/README.md, design changes).
import { IMAGE_AVG } from '../aggregate.js';
import { axisEffect, axisRange, effectBeats, groupBeats, type Measure } from '../claims.js';
import type { Study, Variant } from '../study.js';
import { contextFor, fairLengths, IMAGES_PER_SEQUENCE, trainingSeqLen, withOverrides } from './base.js';

const KINDS = ['avgpool', 'attnpool', 'cabstractor'] as const;
type Kind = (typeof KINDS)[number];
const LABELS: Record<Kind, string> = { avgpool: 'average pooling', attnpool: 'attention pooling', cabstractor: 'C-Abstractor' };
/** Square counts (2×2, 4×4, 8×8) so average pooling and the C-Abstractor pool to a grid. */
const TOKENS = [4, 16, 64] as const;
/** The type that varies its token count: MM1's choice, and the base run's. */
const TOKEN_KIND: Kind = 'cabstractor';
/**
 * The token count the types are compared at: the base run's (so that cell is shared with every
 * study), and a real 4× compression of the 8×8 patch grid, where the types differ in how they
 * compress (at 64 tokens none compresses).
 */
const TYPE_TOKENS = 16;
/** The cells the claims read, C-Abstractor's token row first. */
const CELLS: readonly { connector: Kind; tokens: number }[] = [
  ...TOKENS.map((tokens) => ({ connector: TOKEN_KIND, tokens })),
  ...KINDS.filter((k) => k !== TOKEN_KIND).map((connector) => ({ connector, tokens: TYPE_TOKENS })),
];

const overall: Measure = { metric: IMAGE_AVG, shots: 'all' };

export const connectorStudy: Study = {
  name: 'connector',
  title: 'Vision-language connector: type and number of image tokens',
  question: 'Does the architecture of the vision-language connector matter, or the number of image tokens it hands to the LLM?',
  lesson: 'Number of visual tokens and image resolution matters most, while the type of VL connector has little effect.',
  verbatim: true,
  source: 'MM1, Fig. 4',
  notes: [
    'MM1: average pooling, attention pooling and C-Abstractor × 64 / 144 tokens × 224 / 336 px. Here, at 64 px (patch 8: an 8×8 patch grid, so 64 tokens keeps every patch): the C-Abstractor at 4 / 16 / 64 tokens, and average pooling, attention pooling and the C-Abstractor at 16 tokens.',
    `Each claim reads its own slice of this plus-shaped grid: the token effect is the C-Abstractor's (4 → 64), the spread between types is taken at ${TYPE_TOKENS} tokens. The other four cells of a 3 × 3 grid would feed neither claim.`,
    'Resolution, the other half of the lesson, is measured by the encoder study; keeping it fixed here keeps the grid to 9 variants.',
    'Encoder width 64, depth 3; data 45/45/10.',
    `Fair comparison: every variant packs ${IMAGES_PER_SEQUENCE} images into a training sequence (its \`train.seqLen\` grows with its tokens per image: ${TOKENS.map((t) => trainingSeqLen(IMAGES_PER_SEQUENCE, t)).join(' / ')} tokens), and a context that holds an 8-shot prompt of its images (${TOKENS.map((t) => contextFor(t)).join(' / ')} tokens), so every prompt holds all 8 shots. (At a fixed 256 / 512, 64-token variants got ~2.6 images per sequence and 5 of 8 shots.)`,
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    CELLS.map(({ connector, tokens }): Variant => ({
      id: `${connector}-${tokens}`,
      label: `${LABELS[connector]}, ${tokens} tokens`,
      axes: { connector, tokens },
      config: withOverrides(scale, { 'model.connector.kind': connector, 'model.connector.tokens': tokens, ...fairLengths(tokens) }),
    })),
  figure: { kind: 'lines', x: 'tokens', series: 'connector', logX: true },
  claims: [
    groupBeats({
      id: 'tokens-help',
      text: 'The number of visual tokens matters: more image tokens give better results',
      better: { select: { connector: TOKEN_KIND, tokens: 64 }, label: `${LABELS[TOKEN_KIND]}, 64 tokens` },
      worse: { select: { connector: TOKEN_KIND, tokens: 4 }, label: `${LABELS[TOKEN_KIND]}, 4 tokens` },
      measure: overall,
    }),
    effectBeats({
      id: 'type-matters-little',
      text: 'The type of VL connector has little effect (less than the number of tokens)',
      larger: axisEffect('tokens', 4, 64, `token effect (${LABELS[TOKEN_KIND]}, 4 → 64)`, { connector: TOKEN_KIND }),
      smaller: axisRange('connector', `spread between connector types at ${TYPE_TOKENS} tokens (best − worst)`, { tokens: TYPE_TOKENS }),
      measure: overall,
    }),
  ],
};
