// MM1 Table 1 (spec §1.2): which image-encoder choices matter? MM1 varied objective,
// size, resolution and data; here: input resolution × encoder size, the two axes behind its lesson.
import { IMAGE_AVG } from '../aggregate.js';
import { axisEffect, effectBeats, groupBeats, type Measure } from '../claims.js';
import { mergeConfig, nested } from '../config_paths.js';
import type { Study, Variant } from '../study.js';
import { baseConfig, encoderSize } from './base.js';

/**
 * The two ends of the resolution axis the claims compare. 64 px (the base run's) fed no claim:
 * with it, the size effect averaged over three resolutions and its large-encoder cell cost three
 * runs that decided nothing (docs/results/README.md, design changes); a 2 × 2 design is balanced.
 */
const RESOLUTIONS = [32, 128] as const;
/** small → large: width ×1.25 and depth ×4/3, ≈ 2.1× the block parameters, exactly like ViT-L → ViT-H (1024×24 → 1280×32). */
const SIZES = { small: { width: 64, depth: 3 }, large: { width: 80, depth: 4 } } as const;

const overall: Measure = { metric: IMAGE_AVG, shots: 'all' };
/** No text tasks: no claim here reads them, and MM1's Table 1 reports captioning and VQA only. */
const TEXT_EXAMPLES = 0;

export const encoderStudy: Study = {
  name: 'encoder',
  title: 'Image encoder: resolution and size',
  question: 'Which image-encoder choices matter most for a multimodal LLM: input resolution or encoder size?',
  lesson: 'Image resolution has the highest impact, followed by model size and training data composition.',
  verbatim: true,
  source: 'MM1, Table 1',
  notes: [
    'MM1: CLIP ViT-L vs ViT-H at 224 / 336 / 378 px with a 2.9B LLM, 0/4/8-shot on 8 captioning and VQA benchmarks. Here: a 2 × 2 design, a toy ViT at 32 / 128 px (the 64 px base run sits between them in the other studies), patch 8 (4×4 and 16×16 patches), small (width 64, depth 3) vs large (width 80, depth 4): width ×1.25 and depth ×4/3, about 2.1× the parameters, the same step as ViT-L (1024 wide, 24 deep) → ViT-H (1280, 32).',
    "Every encoder is first trained CLIP-style on the world's captions (800 steps at default scale, the `encoder.clipSteps` stage), then frozen while the connector and LLM pretrain, as MM1 starts from a CLIP-pretrained encoder; connector fixed to a C-Abstractor with 16 tokens, data fixed to 45/45/10.",
    'The training-data-composition part of the lesson (VeCap) is covered by the mixture study.',
    "Evaluated on the image tasks only (as MM1's Table 1): no claim here reads the text tasks.",
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    RESOLUTIONS.flatMap((resolution) =>
      (Object.keys(SIZES) as (keyof typeof SIZES)[]).map((encoder): Variant => ({
        id: `res${resolution}-${encoder}`,
        label: `${resolution} px, ${encoder} encoder`,
        axes: { resolution, encoder },
        config: mergeConfig(
          mergeConfig(baseConfig(scale), nested({ 'model.vision.imageSize': resolution, 'eval.textExamples': TEXT_EXAMPLES })),
          encoderSize(SIZES[encoder].width, SIZES[encoder].depth),
        ),
      })),
    ),
  figure: { kind: 'lines', x: 'resolution', series: 'encoder', logX: true },
  claims: [
    groupBeats({
      id: 'resolution-helps',
      text: 'Higher input resolution gives better results (224 → 336 px: about +3 points on all metrics)',
      better: { select: { resolution: 128 }, label: '128 px' },
      worse: { select: { resolution: 32 }, label: '32 px' },
      measure: overall,
    }),
    effectBeats({
      id: 'resolution-over-size',
      text: 'Image resolution has the highest impact, followed by model size',
      larger: axisEffect('resolution', 32, 128, 'resolution effect (32 → 128 px)'),
      smaller: axisEffect('encoder', 'small', 'large', 'size effect (small → large)'),
      measure: overall,
    }),
    groupBeats({
      id: 'size-helps',
      text: 'A larger encoder helps, though less (ViT-L → ViT-H: usually under 1 point)',
      better: { select: { encoder: 'large' }, label: 'large encoder' },
      worse: { select: { encoder: 'small' }, label: 'small encoder' },
      measure: overall,
    }),
  ],
};
