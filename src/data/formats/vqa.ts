// VQA evaluation/fine-tuning items. VQAv2 and OK-VQA share the official format:
//   questions:   {"data_subtype": "val2014", "questions": [{"question_id", "image_id", "question"}]}
//   annotations: {"annotations": [{"question_id", "image_id", "answers": [{"answer", ...}], "answer_type"}]}
// with images named COCO_<data_subtype>_<image_id as 12 digits>.jpg. TextVQA, VizWiz and
// GQA differ in layout and live in vqa_variants.ts; all yield the same VqaFileItem.
// Items carry the image path, not pixels: evaluation decodes only what it uses.

import { existsSync } from 'node:fs';
import { makeReader, parseRecord, readJsonValue, resolveImagePath, type ReadOptions, type Reader } from './reader.js';
import { VqaAnnotation, VqaAnnotationsFile, VqaQuestion, VqaQuestionsFile } from './vqa_schema.js';

export type VqaDataset = 'vqav2' | 'okvqa' | 'textvqa' | 'vizwiz' | 'gqa';

export interface VqaFileItem {
  dataset: VqaDataset;
  questionId: string;
  imageId: string;
  imagePath: string;
  question: string;
  /** Human answers as given (10 for VQAv2/OK-VQA/TextVQA/VizWiz, 1 for GQA); [] for unannotated test splits. */
  answers: string[];
  answerType?: string;
}

export interface VqaOptions extends ReadOptions {
  imageRoot: string;
  /** Image file name for an image id; defaults to the dataset's official naming. */
  imageFile?: (imageId: string) => string;
}

/** Shared item checks: the image exists, the question is non-empty. */
export function finishItem(item: VqaFileItem): VqaFileItem {
  if (item.question.trim() === '') throw new Error('empty question. Fix: remove the record.');
  if (!existsSync(item.imagePath)) {
    throw new Error(`image ${item.imagePath} not found. Fix: check imageRoot (or pass imageFile to map image ids to file names).`);
  }
  return item;
}

/** The "answer" strings of an answers list of {answer, ...} objects. */
export function answerStrings(value: unknown, field = 'answers'): string[] {
  if (!Array.isArray(value)) throw new Error(`"${field}" must be a list, got ${JSON.stringify(value) ?? 'nothing'}.`);
  return value.map((a, i) => {
    const text = typeof a === 'string' ? a : (a as { answer?: unknown } | null)?.answer;
    if (typeof text !== 'string') throw new Error(`${field}[${i}] must be a string or {"answer": string}.`);
    return text;
  });
}

export interface VqaV2Files {
  questions: string;
  /** Omit for test splits (items then have answers: []). */
  annotations?: string;
  /** 'okvqa' for OK-VQA (same format); default 'vqav2'. */
  dataset?: 'vqav2' | 'okvqa';
}

export function readVqaV2(files: VqaV2Files, options: VqaOptions): Reader<VqaFileItem> {
  return makeReader(files.questions, options, async function* (tryRecord) {
    const q = VqaQuestionsFile.safeParse(await readJsonValue(files.questions));
    if (!q.success) throw new Error(`${files.questions}: expected {"questions": [...]} (VQAv2 questions file).`);
    const subtype = q.data.data_subtype;
    const answersById = new Map<string, unknown>();
    if (files.annotations) {
      const a = VqaAnnotationsFile.safeParse(await readJsonValue(files.annotations));
      if (!a.success) throw new Error(`${files.annotations}: expected {"annotations": [...]} (VQAv2 annotations file).`);
      for (const ann of a.data.annotations) answersById.set(String((ann as { question_id?: unknown } | null)?.question_id), ann);
    }
    if (!options.imageFile && !subtype) {
      throw new Error(`${files.questions} has no "data_subtype" to name the COCO images; pass imageFile.`);
    }
    const imageFile = options.imageFile ?? ((id: string) => `COCO_${subtype}_${id.padStart(12, '0')}.jpg`);
    const questions = q.data.questions;
    for (let i = 0; i < questions.length; i++) {
      const item = await tryRecord(`questions[${i}]`, () => {
        // The ids first: a question without an annotation is reported as that, whatever else it lacks.
        const ids = parseRecord(VqaQuestion.pick({ question_id: true, image_id: true }), questions[i]);
        const questionId = String(ids.question_id);
        const imageId = String(ids.image_id);
        const raw = answersById.get(questionId);
        if (files.annotations && raw === undefined) {
          throw new Error(`question_id ${questionId} has no annotation in ${files.annotations}. Fix: use the matching questions/annotations pair.`);
        }
        const rec = parseRecord(VqaQuestion, questions[i]);
        const ann = raw === undefined ? undefined : parseRecord(VqaAnnotation, raw);
        return finishItem({
          dataset: files.dataset ?? 'vqav2',
          questionId,
          imageId,
          imagePath: resolveImagePath(options.imageRoot, imageFile(imageId)),
          question: rec.question,
          answers: ann ? answerStrings(ann.answers) : [],
          ...(ann?.answer_type !== undefined ? { answerType: ann.answer_type } : {}),
        });
      });
      if (item) yield item;
    }
  });
}
