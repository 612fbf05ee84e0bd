// COCO captions (captions_train2017.json and friends):
//   { "images": [{ "id": 391895, "file_name": "000000391895.jpg", ... }],
//     "annotations": [{ "id": 770337, "image_id": 391895, "caption": "A man ..." }] }
// For training: one caption Document per annotation, [image, caption]. For evaluation:
// one item per image with all its reference captions (CIDEr needs them together).

import type { Document } from '../document.js';
import { readImageFile } from '../image.js';
import { idField, makeReader, readJsonValue, resolveImagePath, stringField, type ReadOptions, type Reader } from './reader.js';

export interface CocoOptions extends ReadOptions {
  /** Folder the file_name entries are relative to (e.g. .../train2017). */
  imageRoot: string;
}

export interface CaptionEvalItem {
  imageId: string;
  imagePath: string;
  references: string[];
}

interface CocoIndex {
  images: { id: string; path: string; where: string }[];
  /** image id → [annotation index, annotation] in file order. */
  captions: Map<string, { index: number; record: Record<string, unknown> }[]>;
  /** Annotations whose image_id is not in "images". */
  orphans: { index: number; record: Record<string, unknown> }[];
}

async function loadIndex(path: string, imageRoot: string): Promise<CocoIndex> {
  const json = (await readJsonValue(path)) as { images?: unknown; annotations?: unknown };
  if (!Array.isArray(json?.images) || !Array.isArray(json?.annotations)) {
    throw new Error(`${path}: expected a COCO captions file with "images" and "annotations" arrays.`);
  }
  const images = (json.images as Record<string, unknown>[]).map((img, i) => ({
    id: String(img?.id),
    path: typeof img?.file_name === 'string' ? resolveImagePath(imageRoot, img.file_name) : '',
    where: `images[${i}]`,
  }));
  const captions = new Map<string, { index: number; record: Record<string, unknown> }[]>(images.map((img) => [img.id, []]));
  const orphans: { index: number; record: Record<string, unknown> }[] = [];
  (json.annotations as Record<string, unknown>[]).forEach((record, index) => {
    const list = captions.get(String(record?.image_id));
    (list ?? orphans).push({ index, record });
  });
  return { images, captions, orphans };
}

function checkAnnotation(record: Record<string, unknown>): { id: string; caption: string } {
  const caption = stringField(record, 'caption', 'each annotation needs {"id", "image_id", "caption"}.').trim();
  if (caption === '') throw new Error('empty caption. Fix: remove the annotation or fill in its caption.');
  return { id: idField(record, 'id'), caption };
}

/**
 * Caption documents, grouped by image in "images" order (each image decoded once).
 * A broken annotation, an annotation whose image_id is not in "images", or an image that
 * fails to decode is a broken record (all its captions when it is the image).
 */
export function readCocoCaptions(path: string, options: CocoOptions): Reader<Document> {
  return makeReader(path, options, async function* (tryRecord) {
    const index = await loadIndex(path, options.imageRoot);
    for (const { index: i, record } of index.orphans) {
      await tryRecord(`annotations[${i}]`, () => {
        throw new Error(`image_id ${JSON.stringify(record?.image_id)} is not in "images". Fix: add the image entry or drop the annotation.`);
      });
    }
    for (const img of index.images) {
      const anns = index.captions.get(img.id) ?? [];
      if (anns.length === 0) continue;
      const image = await tryRecord(img.where, () => {
        if (!img.path) throw new Error('missing "file_name". Fix: each image needs {"id", "file_name"}.');
        return readImageFile(img.path);
      });
      if (!image) continue;
      for (const { index: i, record } of anns) {
        const ann = await tryRecord(`annotations[${i}]`, () => checkAnnotation(record));
        if (!ann) continue;
        yield {
          source: 'caption',
          id: `coco:${ann.id}`,
          segments: [
            { kind: 'image', image },
            { kind: 'text', text: ann.caption },
          ],
        };
      }
    }
  });
}

/** Evaluation items: one per image that has captions, with every reference caption. */
export function readCocoCaptionEval(path: string, options: CocoOptions): Reader<CaptionEvalItem> {
  return makeReader(path, options, async function* (tryRecord) {
    const index = await loadIndex(path, options.imageRoot);
    for (const img of index.images) {
      const anns = index.captions.get(img.id) ?? [];
      if (anns.length === 0) continue;
      const item = await tryRecord(img.where, () => {
        if (!img.path) throw new Error('missing "file_name". Fix: each image needs {"id", "file_name"}.');
        const references = anns.map(({ index: i, record }) => {
          try {
            return checkAnnotation(record).caption;
          } catch (err) {
            throw new Error(`annotations[${i}]: ${(err as Error).message}`);
          }
        });
        return { imageId: img.id, imagePath: img.path, references };
      });
      if (item) yield item;
    }
  });
}
