// Typed evaluation items. The world generates them; real-format readers (COCO, VQA JSON)
// can produce the same shapes, so the evaluation code reads one format.
import type { RgbImage } from '../document.js';
import type { Scene } from './scene.js';

/** Question families of the world, after VQAv2 / TextVQA / GQA. */
export type QuestionType =
  | 'color'
  | 'shape'
  | 'count'
  | 'exist'
  | 'where'
  | 'read'
  | 'relation'
  /** v2: the surface pattern, the count or colour of the small dots, and (OK-VQA) facts only text states. */
  | 'pattern'
  | 'dots'
  | 'knowledge';

/** VQAv2 answer types. */
export type AnswerType = 'yes/no' | 'number' | 'other';

/** A question about a picture with ten human-style answers (VQAv2 accuracy needs ten). */
export interface QuestionAnswers {
  question: string;
  /** Ten answers: the right one, sometimes with a few synonyms ("2" and "two"). */
  answers: string[];
  answerType: AnswerType;
  questionType: QuestionType;
  /**
   * v2 items only: the grid cells holding what the question is about ([] = the whole
   * picture). Models never see it; the resolution probe (probe.ts) reads only those pixels.
   */
  focusCells?: number[];
}

/** COCO / TextCaps analogue: an image and its reference captions (scored by CIDEr). */
export interface WorldCaptionItem {
  id: string;
  image: RgbImage;
  references: string[];
  /** World items only: the scene graph behind the image, for checks and error analysis. */
  scene?: Scene;
}

/** VQAv2 / TextVQA / GQA analogue (GQA items repeat one answer ten times: exact match). */
export interface WorldVqaItem extends QuestionAnswers {
  id: string;
  image: RgbImage;
  scene?: Scene;
  /** VizWiz analogue: how the picture was spoiled ('blur', 'dark', 'cover-left', ...). */
  degradation?: string;
}

/** ARC / PIQA / HellaSwag analogue: pick the most likely continuation of `context`. */
export interface WorldMultipleChoiceItem {
  id: string;
  context: string;
  /** Continuations, each to be scored as text following `context` (log-likelihood). */
  choices: string[];
  answerIndex: number;
}

/** LAMBADA analogue: predict the last word of a passage; `context` ends just before it. */
export interface ClozeItem {
  id: string;
  context: string;
  target: string;
}

/** TriviaQA / WebQS analogue: generate a short answer; any of `answers` counts (exact match). */
export interface OpenQaItem {
  id: string;
  question: string;
  answers: string[];
}

/** Everything the world can be evaluated on, by benchmark analogue. */
export interface WorldEvalSets {
  /** COCO analogue. */
  captions: WorldCaptionItem[];
  /** TextCaps analogue: every picture has a word and every reference mentions it. */
  textCaptions: WorldCaptionItem[];
  /** VQAv2 analogue: colour, shape, count and existence questions. */
  vqa: WorldVqaItem[];
  /** TextVQA analogue: what is written. */
  textVqa: WorldVqaItem[];
  /** GQA analogue: relations and composition, single answer. */
  gqa: WorldVqaItem[];
  /** VizWiz analogue: blurred, dark or partly covered pictures; some answers are "unanswerable". */
  vizwiz: WorldVqaItem[];
  /** OK-VQA analogue: the picture says which thing; only text documents state the answer. */
  okvqa: WorldVqaItem[];
  /** Captions and questions on pictures made only of shape×colour pairs never seen in training (NoCaps analogue). */
  heldoutCaptions: WorldCaptionItem[];
  heldoutVqa: WorldVqaItem[];
  /** TextCore analogues. */
  multipleChoice: WorldMultipleChoiceItem[];
  cloze: ClozeItem[];
  openQa: OpenQaItem[];
}

export type WorldEvalSizes = { [K in keyof WorldEvalSets]?: number };
