// Loads VQA results ([{question_id, answer}]), questions ({questions: [{question_id, ...}]}) and
// annotations ({annotations: [{question_id, answers: [{answer, ...}], answer_type,
// question_type}]}) for scoring, with the official loader's checks (vqa.py loadRes) as readable
// errors. The official loader requires a result for every annotated question; `subset` relaxes
// that to scoring only the answered ones.
import { z } from 'zod';
import type { VqaScoredQuestion } from '../metrics/vqa_accuracy.js';
import { readJsonFile } from '../../schema/read_json_file.js';
import { VqaAnnotation, VqaAnnotationsFile, VqaId, VqaQuestion, VqaQuestionsFile } from '../../data/formats/vqa_schema.js';

// The question and annotation records are the data side's (data/formats/vqa_schema.ts); scoring
// needs only the question ids and choices of the questions, and the types of every annotation.
const ResultsSchema = z.array(z.object({ question_id: VqaId, answer: z.string() }));
const QuestionsSchema = VqaQuestionsFile.extend({ questions: z.array(VqaQuestion.pick({ question_id: true, multiple_choices: true })) });
const AnnotationsSchema = VqaAnnotationsFile.extend({
  annotations: z.array(VqaAnnotation.extend({ answers: VqaAnnotation.shape.answers.min(1), answer_type: z.string(), question_type: z.string() })),
});
const RESULTS_FORMAT = 'a JSON array of {"question_id": ..., "answer": "..."} (VQA results format)';
const QUESTIONS_FORMAT = 'a VQA questions file: {"questions": [{"question_id": ..., "image_id": ..., "question": "..."}]}';
const ANNOTATIONS_FORMAT =
  'a VQA annotation file: {"annotations": [{"question_id": ..., "answer_type": "...", "question_type": "...", "answers": [{"answer": "...", "answer_id": 1}, ...]}]}';

const idKey = (id: number | string): string => `${typeof id}:${id}`;

export interface VqaFiles {
  results: string;
  questions: string;
  annotations: string;
}

/** Questions in annotation-file order (the official evaluation order) with their predictions. */
export function loadVqaScoring(files: VqaFiles, { subset = false } = {}): VqaScoredQuestion[] {
  const results = readJsonFile(files.results, '--results', ResultsSchema, RESULTS_FORMAT);
  const questions = readJsonFile(files.questions, '--questions', QuestionsSchema, QUESTIONS_FORMAT);
  const ann = readJsonFile(files.annotations, '--annotations', AnnotationsSchema, ANNOTATIONS_FORMAT);
  if (results.length === 0) throw new Error(`--results file ${files.results} is an empty array: there is nothing to score.`);

  const annotated = new Map(ann.annotations.map((a) => [idKey(a.question_id), a]));
  const asked = new Map(questions.questions.map((q) => [idKey(q.question_id), q]));
  const predictions = new Map<string, string>();
  results.forEach((r, i) => {
    const k = idKey(r.question_id);
    const where = `--results file ${files.results}: entry [${i}] (question_id ${JSON.stringify(r.question_id)})`;
    if (!annotated.has(k)) {
      throw new Error(
        `${where} is not a question of --annotations file ${files.annotations}. Use the annotation file of the split ` +
          'the answers were made for, or remove that entry.',
      );
    }
    if (!asked.has(k)) throw new Error(`${where} is not in --questions file ${files.questions}. Use the questions file that matches the annotations.`);
    if (predictions.has(k)) throw new Error(`${where} answers the same question twice. Keep one answer per question.`);
    const choices = asked.get(k)!.multiple_choices;
    if (questions.task_type === 'Multiple Choice' && choices && !choices.includes(r.answer)) {
      throw new Error(`${where} answers ${JSON.stringify(r.answer)}, which is not one of its multiple choices.`);
    }
    predictions.set(k, r.answer);
  });
  const missing = ann.annotations.filter((a) => !predictions.has(idKey(a.question_id)));
  if (missing.length > 0 && !subset) {
    throw new Error(
      `--results file ${files.results} answers ${predictions.size} of the ${annotated.size} questions in --annotations file ` +
        `${files.annotations} (first unanswered: question_id ${JSON.stringify(missing[0].question_id)}). The official ` +
        'evaluation scores every annotated question: answer them all, or pass --subset to score only the answered ones.',
    );
  }
  return ann.annotations
    .filter((a) => predictions.has(idKey(a.question_id)))
    .map((a) => ({
      prediction: predictions.get(idKey(a.question_id))!,
      answers: a.answers,
      answerType: a.answer_type,
      questionType: a.question_type,
    }));
}
