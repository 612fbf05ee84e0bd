// The VQA benchmarks whose files differ from VQAv2's (see vqa.ts for the shared VqaFileItem):
//   TextVQA: {"data": [{"question_id", "image_id", "question", "answers": [10 strings]}]},
//            images <image_id>.jpg
//   VizWiz:  [{"image": "VizWiz_val_00000000.jpg", "question",
//             "answers": [{"answer", "answer_confidence"}], "answer_type"}]; no question id
//            (the image name is the id: one question per image)
//   GQA:     {"<question id>": {"imageId", "question", "answer", "fullAnswer", ...}},
//            images <imageId>.jpg; one answer per question

import { idField, makeReader, readJsonValue, resolveImagePath, stringField, type Reader } from './reader.js';
import { answerStrings, finishItem, type VqaFileItem, type VqaOptions } from './vqa.js';

export function readTextVqa(path: string, options: VqaOptions): Reader<VqaFileItem> {
  return makeReader(path, options, async function* (tryRecord) {
    const json = (await readJsonValue(path)) as { data?: unknown };
    if (!Array.isArray(json?.data)) throw new Error(`${path}: expected {"data": [...]} (TextVQA format).`);
    const imageFile = options.imageFile ?? ((id: string) => `${id}.jpg`);
    const data = json.data as Record<string, unknown>[];
    for (let i = 0; i < data.length; i++) {
      const item = await tryRecord(`data[${i}]`, () => {
        const rec = data[i] ?? {};
        const imageId = idField(rec, 'image_id');
        return finishItem({
          dataset: 'textvqa',
          questionId: idField(rec, 'question_id'),
          imageId,
          imagePath: resolveImagePath(options.imageRoot, imageFile(imageId)),
          question: stringField(rec, 'question'),
          answers: rec.answers === undefined ? [] : answerStrings(rec.answers),
        });
      });
      if (item) yield item;
    }
  });
}

export function readVizWiz(path: string, options: VqaOptions): Reader<VqaFileItem> {
  return makeReader(path, options, async function* (tryRecord) {
    const json = await readJsonValue(path);
    if (!Array.isArray(json)) throw new Error(`${path}: expected a list of {"image", "question", "answers"} (VizWiz format).`);
    const imageFile = options.imageFile ?? ((id: string) => id);
    for (let i = 0; i < json.length; i++) {
      const item = await tryRecord(`[${i}]`, () => {
        const rec = (json[i] ?? {}) as Record<string, unknown>;
        const image = stringField(rec, 'image', 'each VizWiz record names its image file.');
        return finishItem({
          dataset: 'vizwiz',
          questionId: image,
          imageId: image,
          imagePath: resolveImagePath(options.imageRoot, imageFile(image)),
          question: stringField(rec, 'question'),
          answers: rec.answers === undefined ? [] : answerStrings(rec.answers),
          ...(typeof rec.answer_type === 'string' ? { answerType: rec.answer_type } : {}),
        });
      });
      if (item) yield item;
    }
  });
}

export function readGqa(path: string, options: VqaOptions): Reader<VqaFileItem> {
  return makeReader(path, options, async function* (tryRecord) {
    const json = await readJsonValue(path);
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new Error(`${path}: expected {"<question id>": {"imageId", "question", "answer"}} (GQA format).`);
    }
    const imageFile = options.imageFile ?? ((id: string) => `${id}.jpg`);
    for (const [questionId, value] of Object.entries(json as Record<string, unknown>)) {
      const item = await tryRecord(`question "${questionId}"`, () => {
        const rec = (value ?? {}) as Record<string, unknown>;
        const imageId = idField(rec, 'imageId');
        return finishItem({
          dataset: 'gqa',
          questionId,
          imageId,
          imagePath: resolveImagePath(options.imageRoot, imageFile(imageId)),
          question: stringField(rec, 'question'),
          answers: rec.answer === undefined ? [] : [stringField(rec, 'answer')],
        });
      });
      if (item) yield item;
    }
  });
}
