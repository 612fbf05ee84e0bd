// Loads a COCO captions results file ([{image_id, caption}]) and a COCO captions annotation file
// ({images, annotations: [{image_id, caption}]}) into the examples the caption metrics score,
// checking them the way pycocotools' loadRes and pycocoevalcap's asserts do, with readable errors.
import { z } from 'zod';
import type { CaptionExample } from '../metrics/caption_scores.js';
import { readJsonFile } from '../../schema/read_json_file.js';

const Id = z.union([z.number(), z.string()], { error: 'expected an id (number or string)' });
const ResultsSchema = z.array(z.object({ image_id: Id, caption: z.string() }));
const AnnotationsSchema = z.object({
  images: z.array(z.object({ id: Id })).optional(),
  annotations: z.array(z.object({ image_id: Id, caption: z.string() })),
});
const RESULTS_FORMAT = 'a JSON array of {"image_id": ..., "caption": "..."} (COCO results format)';
const ANNOTATIONS_FORMAT = 'a COCO captions annotation file: {"images": [{"id": ...}], "annotations": [{"image_id": ..., "caption": "..."}]}';

/** Python set semantics: 1 and "1" are different ids. */
const idKey = (id: number | string): string => `${typeof id}:${id}`;

/** The examples in the order pycocoevalcap evaluates them: the annotation file's image order,
 *  restricted to the images that have a result. */
export function loadCaptionScoring(resultsPath: string, annotationsPath: string): (CaptionExample & { imageId: number | string })[] {
  const results = readJsonFile(resultsPath, '--results', ResultsSchema, RESULTS_FORMAT);
  const ann = readJsonFile(annotationsPath, '--annotations', AnnotationsSchema, ANNOTATIONS_FORMAT);
  if (results.length === 0) throw new Error(`--results file ${resultsPath} is an empty array: there is nothing to score.`);

  const refs = new Map<string, string[]>();
  for (const a of ann.annotations) {
    if (!refs.has(idKey(a.image_id))) refs.set(idKey(a.image_id), []);
    refs.get(idKey(a.image_id))!.push(a.caption);
  }
  const imageOrder = (ann.images ?? ann.annotations.map((a) => ({ id: a.image_id }))).map((im) => im.id);
  const known = new Set(imageOrder.map(idKey));

  const candidate = new Map<string, string>();
  results.forEach((r, i) => {
    const k = idKey(r.image_id);
    if (!known.has(k)) {
      throw new Error(
        `--results file ${resultsPath}: entry [${i}] has image_id ${JSON.stringify(r.image_id)}, which is not an image of ` +
          `--annotations file ${annotationsPath}. Score against the annotation file of the split the captions were made for, ` +
          `or remove that entry${typeof r.image_id === 'string' ? ' (note: "1" and 1 are different ids)' : ''}.`,
      );
    }
    if (candidate.has(k)) {
      throw new Error(
        `--results file ${resultsPath}: image_id ${JSON.stringify(r.image_id)} has more than one caption (entry [${i}] again); ` +
          'COCO caption scoring takes exactly one caption per image. Keep one per image.',
      );
    }
    if (!refs.has(k)) {
      throw new Error(
        `--annotations file ${annotationsPath} has no reference captions for image_id ${JSON.stringify(r.image_id)}, which --results captions (entry [${i}]).`,
      );
    }
    candidate.set(k, r.caption);
  });
  const seen = new Set<string>();
  return imageOrder
    .filter((id) => candidate.has(idKey(id)) && !seen.has(idKey(id)) && seen.add(idKey(id)))
    .map((id) => ({ imageId: id, candidate: candidate.get(idKey(id))!, references: refs.get(idKey(id))! }));
}
