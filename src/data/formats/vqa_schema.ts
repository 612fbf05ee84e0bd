// The official VQA file layout (VQAv2 and OK-VQA), described once: the reader (vqa.ts) makes
// items from it and `mm1 score vqa` (eval/score_files/vqa.ts) reads what it scores against.
// Objects are loose: the official files carry more fields than mm1 reads.
import { z } from 'zod';

export const VqaId = z.union([z.number(), z.string()], { error: 'expected an id (number or string)' });

/** A human answer: {"answer": ..., "answer_confidence", "answer_id"} officially; a bare string is accepted. */
export const VqaAnswer = z.union([z.string(), z.looseObject({ answer: z.string() })], { error: 'expected a string or {"answer": string}' });

export const VqaQuestion = z.looseObject({
  question_id: VqaId,
  image_id: VqaId,
  question: z.string(),
  multiple_choices: z.array(z.string()).optional(),
});

export const VqaAnnotation = z.looseObject({
  question_id: VqaId,
  answers: z.array(VqaAnswer),
  answer_type: z.string().optional(),
  question_type: z.string().optional(),
});

/** The files' top level; the records inside are checked one by one (a reader may skip a broken one). */
export const VqaQuestionsFile = z.looseObject({ data_subtype: z.string().optional(), task_type: z.string().optional(), questions: z.array(z.unknown()) });
export const VqaAnnotationsFile = z.looseObject({ annotations: z.array(z.unknown()) });

export type VqaQuestionRecord = z.infer<typeof VqaQuestion>;
export type VqaAnnotationRecord = z.infer<typeof VqaAnnotation>;
