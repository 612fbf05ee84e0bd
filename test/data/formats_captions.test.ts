import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCocoCaptionEval, readCocoCaptions } from '../../src/data/formats/coco.js';
import { readWebDataset } from '../../src/data/formats/webdataset.js';
import { collect, pngBytes, solid, tempDir, writePng, writeTar } from './fixtures.js';

async function cocoFixture(annotations: unknown[]): Promise<{ dir: string; path: string }> {
  const dir = tempDir('coco');
  await writePng(join(dir, '1.png'), [255, 0, 0]);
  await writePng(join(dir, '2.png'), [0, 0, 255]);
  const path = join(dir, 'captions.json');
  const images = [
    { id: 1, file_name: '1.png' },
    { id: 2, file_name: '2.png' },
  ];
  writeFileSync(path, JSON.stringify({ images, annotations }));
  return { dir, path };
}

test('COCO: one caption document per annotation, grouped by image, images decoded', async () => {
  const { dir, path } = await cocoFixture([
    { id: 10, image_id: 2, caption: 'A blue square. ' },
    { id: 11, image_id: 1, caption: 'A red square.' },
    { id: 12, image_id: 2, caption: 'Blue.' },
  ]);
  const docs = await collect(readCocoCaptions(path, { imageRoot: dir }));
  assert.deepEqual(
    docs.map((d) => d.id),
    ['coco:11', 'coco:10', 'coco:12'],
  );
  const [red, blue] = docs;
  assert.equal(red.source, 'caption');
  assert.equal(red.segments[0].kind, 'image');
  if (red.segments[0].kind === 'image') assert.deepEqual([...red.segments[0].image.data.subarray(0, 3)], [255, 0, 0]);
  if (blue.segments[0].kind === 'image') assert.deepEqual([...blue.segments[0].image.data.subarray(0, 3)], [0, 0, 255]);
  assert.deepEqual(blue.segments[1], { kind: 'text', text: 'A blue square.' });
  const evalItems = await collect(readCocoCaptionEval(path, { imageRoot: dir }));
  assert.deepEqual(
    evalItems.map((e) => [e.imageId, e.references]),
    [
      ['1', ['A red square.']],
      ['2', ['A blue square.', 'Blue.']],
    ],
  );
  assert.equal(evalItems[1].imagePath, join(dir, '2.png'));
});

test('COCO: broken annotations fail naming file and record, or are skipped and counted', async () => {
  const { dir, path } = await cocoFixture([
    { id: 10, image_id: 2, caption: 'Blue.' },
    { id: 11, image_id: 7, caption: 'No such image.' },
    { id: 12, image_id: 1 },
  ]);
  await assert.rejects(collect(readCocoCaptions(path, { imageRoot: dir })), (e: Error) =>
    e.message.startsWith(`${path} annotations[1]: image_id 7 is not in "images". Fix:`),
  );
  const reader = readCocoCaptions(path, { imageRoot: dir, onError: 'skip' });
  const docs = await collect(reader);
  assert.deepEqual(
    docs.map((d) => d.id),
    ['coco:10'],
  );
  assert.equal(reader.report.read, 1);
  assert.equal(reader.report.skipped, 2);
  assert.match(reader.report.problems[1], /annotations\[2\]: field "caption" must be a string/);
  writeFileSync(join(dir, '1.png'), 'not a png');
  const corrupt = readCocoCaptions(path, { imageRoot: dir, onError: 'skip' });
  await collect(corrupt);
  assert.match(corrupt.report.problems.join('\n'), /images\[0\]: Cannot decode image .*1\.png/);
});

test('WebDataset: samples grouped by key; txt or json caption; broken samples named', async () => {
  const dir = tempDir('wds');
  const shard = join(dir, 'shard-000.tar');
  const red = await pngBytes(solid(2, 2, [200, 10, 10]));
  await writeTar(shard, [
    ['s/000.png', red],
    ['s/000.txt', 'a red dot '],
    ['s/001.png', red],
    ['s/001.json', JSON.stringify({ caption: 'json caption', url: 'x' })],
    ['s/002.txt', 'caption without image'],
    ['s/003.seg.png', red],
    ['s/003.png', red],
    ['s/003.txt', 'dots'],
  ]);
  await assert.rejects(collect(readWebDataset(shard)), (e: Error) => e.message.includes(`shard-000.tar sample 's/002' (tar entry 4): no image member`));
  const reader = readWebDataset(shard, { onError: 'skip' });
  const docs = await collect(reader);
  assert.deepEqual(
    docs.map((d) => d.id),
    ['wds:shard-000.tar:s/000', 'wds:shard-000.tar:s/001', 'wds:shard-000.tar:s/003'],
  );
  assert.deepEqual(
    docs.map((d) => (d.segments[1].kind === 'text' ? d.segments[1].text : '')),
    ['a red dot', 'json caption', 'dots'],
  );
  assert.deepEqual([reader.report.read, reader.report.skipped], [3, 1]);
  writeFileSync(join(dir, 'cut.tar'), Buffer.alloc(700, 7));
  await assert.rejects(collect(readWebDataset(join(dir, 'cut.tar'))), /cut\.tar: not a readable tar shard/);
});
