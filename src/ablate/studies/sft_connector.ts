// MM1's SFT-transfer finding on connectors (spec §5.4, "connector differences vanish after
// SFT"): pretrain with each connector, then fine-tune, and ask whether the gap between
// connector types shrinks. Before SFT each model is read as pretrained models are (world
// VQAv2 analogue, zero-shot, pretraining prompt format); after SFT as chat models are (the
// same questions asked as a chat turn), so both stages are scored on the same items.
import { IMAGE_AVG } from '../aggregate.js';
import { effectBeats, type Effect, type Measure } from '../claims.js';
import type { Study, Variant } from '../study.js';
import { BUDGETS } from './base.js';
import { fineTuned, pretrainedOnly } from './sft_suite.js';

const KINDS = ['avgpool', 'attnpool', 'cabstractor'] as const;
const LABELS: Record<(typeof KINDS)[number], string> = { avgpool: 'average pooling', attnpool: 'attention pooling', cabstractor: 'C-Abstractor' };
const STAGES = ['pretrained', 'sft'] as const;
/** Tokens per image for every connector: the base run's 16. */
const TOKENS = 16;

/** Best minus worst connector, among the variants of one stage. */
function connectorRange(stage: (typeof STAGES)[number], label: string): Effect {
  return {
    label,
    select: (v) => v.axes.stage === stage,
    compute(group) {
      const means = KINDS.map((connector) => group({ connector, stage }));
      if (means.some((m) => m === undefined)) return undefined;
      return Math.max(...(means as number[])) - Math.min(...(means as number[]));
    },
  };
}

/** The measure both stages have on the same items: the VQAv2 analogue, zero-shot. */
const sharedVqa: Measure = { metric: 'vqa/accuracy', shots: ['0'] };

export const sftConnectorStudy: Study = {
  name: 'sft-connector',
  title: 'Connectors after supervised fine-tuning',
  question: 'Do the differences between vision-language connectors that pretraining shows survive supervised fine-tuning?',
  lesson: 'Connector differences vanish after SFT.',
  verbatim: false,
  source: 'MM1, §5 (SFT-transfer findings; spec §5.4, from summaries)',
  notes: [
    `Three connectors (average pooling, attention pooling, C-Abstractor) at ${TOKENS} image tokens, otherwise the base run; each pretrained once, then read twice: as pretrained (\`sft.steps\` 0) and after ${BUDGETS.smoke.sftSteps} (smoke) / ${BUDGETS.default.sftSteps} (default) steps of fine-tuning on the world's SFT conversations.`,
    'The claim compares the best-minus-worst connector gap before and after SFT on the one measure both stages share item for item: the world VQAv2 analogue at 0 shots (pretrained models get `question: … answer:`, fine-tuned ones the question as a chat turn). Δ = gap before − gap after; positive is what MM1 reports.',
    "The fine-tuned variants are also scored on the whole world SFT suite (`mm1 eval --suite sft`: image multiple choice with CircularEval, MME-style pairs, POPE-style probes, VQA and TextVQA analogues); avg/image of a fine-tuned row is that suite's mean, of a pretrained-only row the pretraining tasks' mean: the two are not comparable.",
    'MM1 fine-tunes ~10k steps on 1.45M instruction examples; here SFT is a few hundred steps on world conversations, so "vanish" is tested at toy scale only.',
  ],
  seeds: { smoke: 1, default: 3 },
  variants: (scale) =>
    KINDS.flatMap((connector) =>
      STAGES.map((stage): Variant => {
        const overrides = { 'model.connector.kind': connector, 'model.connector.tokens': TOKENS };
        return {
          id: `${connector}-${stage}`,
          label: `${LABELS[connector]}, ${stage === 'sft' ? 'fine-tuned' : 'pretrained only'}`,
          axes: { connector, stage },
          config: stage === 'sft' ? fineTuned(scale, overrides) : pretrainedOnly(scale, overrides),
        };
      }),
    ),
  figure: { kind: 'bars', panels: [{ metric: 'vqa/accuracy', shots: '0', title: 'VQAv2 analogue, 0-shot' }] },
  claims: [
    effectBeats({
      id: 'connector-gap-shrinks',
      text: 'Connector differences vanish after SFT: the gap between connector types is smaller after fine-tuning than before',
      larger: connectorRange('pretrained', 'connector gap before SFT (best − worst)'),
      smaller: connectorRange('sft', 'connector gap after SFT'),
      measure: sharedVqa,
    }),
  ],
  spreadMeasures: [sharedVqa, { metric: IMAGE_AVG, shots: ['0'] }],
};
