// Image multiple choice (ScienceQA-IMG / MMBench / SEED-Bench analogue): a question about a
// world picture, its right answer and three wrong ones of the same kind (colours for a colour
// question, written words for a reading question). How the options are labelled, shown and
// rotated (CircularEval) is the evaluation's business (eval/tasks/world_sft.ts); this file
// only says what is true. Pictures come from the eval scene split.
import { Rng } from '../../../engine/rng.js';
import type { RgbImage } from '../../document.js';
import type { QuestionType } from '../eval_items.js';
import { COLORS, PATTERNS, SHAPES, WORDS, type WorldVersion } from '../lexicon.js';
import { renderScene } from '../render.js';
import { generateScene, type Scene } from '../scene.js';
import { majorityAnswer, vqaOfType } from '../vqa.js';

export interface ImageChoiceItem {
  id: string;
  image: RgbImage;
  scene: Scene;
  question: string;
  /** The right answer and its distractors, in a random order. */
  options: string[];
  answerIndex: number;
  /** The question family (MMBench reports accuracy per category). */
  category: QuestionType;
}

export const OPTIONS_PER_QUESTION = 4;

/**
 * Question families with a closed set of answers none of which holds another (so an answer
 * naming an option's text names only that one): counts are left out because their answers
 * would read as option numbers, cell names because "top" is inside "top left".
 */
export function choiceTypes(version: WorldVersion): QuestionType[] {
  return version === 2 ? ['color', 'shape', 'pattern', 'read', 'relation'] : ['color', 'shape', 'read', 'relation'];
}

/** The answers a question of this family could have had. */
function answerSet(type: QuestionType, answer: string): readonly string[] {
  if (type === 'read') return WORDS;
  if (type === 'pattern') return PATTERNS;
  if (type === 'color' || (type === 'relation' && (COLORS as readonly string[]).includes(answer))) return COLORS;
  if (type === 'shape' || type === 'relation') return SHAPES;
  throw new Error(`image multiple choice has no answer set for question type "${type}"`);
}

/** The first `n` items; item i asks family i mod the families of `choiceTypes(version)`. */
export function imageChoiceItems(seed: number, n: number, opts: { version: WorldVersion; imageSize: number }): ImageChoiceItem[] {
  const rng = new Rng(seed).fork('image-choice');
  const types = choiceTypes(opts.version);
  return Array.from({ length: n }, (_, i) => {
    const type = types[i % types.length];
    for (;;) {
      const scene = generateScene(rng, { split: 'eval', version: opts.version, requireText: type === 'read' });
      const q = vqaOfType(scene, rng, type);
      // Relation questions are sometimes yes/no; multiple choice asks the open ones.
      if (!q || q.answerType === 'yes/no') continue;
      const answer = majorityAnswer(q.answers);
      const wrong = rng.shuffle(answerSet(type, answer).filter((a) => a !== answer)).slice(0, OPTIONS_PER_QUESTION - 1);
      const options = rng.shuffle([answer, ...wrong]);
      return {
        id: `world:test:mmbench:${i}`,
        image: renderScene(scene, opts.imageSize),
        scene,
        question: q.question,
        options,
        answerIndex: options.indexOf(answer),
        category: type,
      };
    }
  });
}
