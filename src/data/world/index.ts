// The synthetic multimodal world: mm1's embedded default dataset. Seeded, deterministic,
// procedurally generated, no download. See docs in each file; the public surface is here.
export { generateScene, sceneKey, sceneHash, sceneSplitOf, EVAL_BUCKETS } from './scene.js';
export type { Scene, SceneObject, SceneText, Background, SceneOptions, SceneSplit } from './scene.js';
export { renderScene } from './render.js';
export { captionsFor, textCaptionsFor, denseCaption } from './captions.js';
export { vqaFor, vqaOfType, majorityAnswer, QUESTION_TYPES } from './vqa.js';
export { qaText, qaPrompt, captionText, CAPTION_PROMPT } from './formats.js';
export { worldSource, worldDocument, worldSample, WORLD_SOURCE_KINDS } from './sources.js';
export type { WorldSourceOptions, WorldSample } from './sources.js';
export { worldConversations, worldConversation, worldConversationSample } from './conversations.js';
export { worldEvalSets, DEFAULT_EVAL_SIZES } from './eval_sets.js';
export type { WorldEvalOptions } from './eval_sets.js';
export type * from './eval_items.js';
export { worldVocabulary, worldCorpusText, splitWorldText, PUNCTUATION } from './vocabulary.js';
export { readWord } from './reader.js';
export type { ReadResult } from './reader.js';
export { downscaleBox, upscaleNearest } from './box_filter.js';
export { writeWorldPreview } from './preview.js';
export * as lexicon from './lexicon.js';
export { LATEST_WORLD_VERSION, WORLD_VERSIONS } from './lexicon.js';
export type { WorldVersion } from './lexicon.js';
export { FACTS } from './knowledge.js';
export type { Fact } from './knowledge.js';
