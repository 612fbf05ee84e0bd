// Items for evaluating fine-tuned (chat) models on the world, after MM1-Chat's benchmarks:
// image multiple choice (MMBench/ScienceQA/SEED), object-existence probes (POPE) and paired
// yes/no questions (MME). Deterministic from a seed; pictures from the eval scene split only.
export { imageChoiceItems, choiceTypes, OPTIONS_PER_QUESTION, type ImageChoiceItem } from './image_choice.js';
export { popeItems, absentKinds, POPE_SPLITS, PROBES_PER_PICTURE, type PopeSplit } from './pope.js';
export { mmePairItems, MME_WORLD_SUBTASKS } from './mme_pairs.js';
export { objectStats, byFrequency, cooccurrenceWith, kindsIn, objectKind, TRAINABLE_KINDS, type ObjectKind, type ObjectStats } from './object_stats.js';
export type { YesNoItem } from './probe_item.js';
