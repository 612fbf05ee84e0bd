import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Document } from '../../src/data/document.js';
import { readObelicsJsonl } from '../../src/data/formats/obelics.js';
import { readObelicsParquet } from '../../src/data/formats/obelics_parquet.js';
import { readTextJsonl } from '../../src/data/formats/text_jsonl.js';
import { collect, pngBytes, solid, tempDir, writePng } from './fixtures.js';

/** 'T:text' for text segments, 'I:r,g,b' (first pixel) for images. */
function layout(doc: Document): string[] {
  return doc.segments.map((s) => (s.kind === 'text' ? `T:${s.text}` : `I:${[...s.image.data.subarray(0, 3)].join(',')}`));
}

test('OBELICS jsonl: interleaved order kept; paths and base64 bytes; broken lines named', async () => {
  const dir = tempDir('obelics');
  await writePng(join(dir, 'cat.png'), [10, 20, 30]);
  const bytes = (await pngBytes(solid(3, 3, [40, 50, 60]))).toString('base64');
  const lines = [
    JSON.stringify({ id: 'doc-a', texts: ['A cat.', null, 'It sleeps.'], images: [null, 'cat.png', null] }),
    '',
    JSON.stringify({ texts: [null, 'Bytes.'], images: [{ bytes, path: null }, null] }),
    JSON.stringify({ texts: ['both', null], images: ['cat.png', null] }),
    '{"texts": [',
  ];
  const path = join(dir, 'docs.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  await assert.rejects(collect(readObelicsJsonl(path, { imageRoot: dir })), (e: Error) =>
    e.message.startsWith(`${path} line 4: position 0 has both a text and an image. Fix: exactly one of texts[0] / images[0]`),
  );
  const reader = readObelicsJsonl(path, { imageRoot: dir, onError: 'skip' });
  const docs = await collect(reader);
  assert.deepEqual(
    docs.map((d) => d.id),
    ['obelics:doc-a', 'obelics:docs.jsonl:3'],
  );
  assert.deepEqual(layout(docs[0]), ['T:A cat.', 'I:10,20,30', 'T:It sleeps.']);
  assert.deepEqual(layout(docs[1]), ['I:40,50,60', 'T:Bytes.']);
  assert.equal(docs[0].source, 'interleaved');
  assert.deepEqual([reader.report.read, reader.report.skipped], [2, 2]);
  assert.match(reader.report.problems[1], /line 5: invalid JSON .* Fix: each line must be one JSON object/);
});

const list = (name: string, leaf: object[]) => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...leaf,
];

test('OBELICS parquet: list<string> texts with paths, binary bytes, or {bytes, path} structs', async () => {
  const dir = tempDir('obelics-pq');
  await writePng(join(dir, 'a.png'), [1, 2, 3]);
  const png = new Uint8Array(await pngBytes(solid(2, 2, [7, 8, 9])));
  const texts = [
    ['Hello', null],
    [null, 'World', null],
    ['x', 'y'],
  ];
  const write = (name: string, images: unknown[], leaf: object[]) => {
    const schema = [
      { name: 'root', num_children: 2 },
      ...list('texts', [{ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }]),
      ...list('images', leaf),
    ];
    const file = join(dir, name);
    // hyparquet-writer's schema type is its own SchemaElement; this literal matches it.
    writeFileSync(
      file,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'texts', data: texts },
            { name: 'images', data: images },
          ],
          schema: schema as never,
          rowGroupSize: 2,
        }),
      ),
    );
    return file;
  };
  const paths = write(
    'paths.parquet',
    [
      [null, 'a.png'],
      ['a.png', null, 'a.png'],
      ['a.png', null],
    ],
    [{ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }],
  );
  const reader = readObelicsParquet(paths, { imageRoot: dir, onError: 'skip', chunkRows: 2 });
  const docs = await collect(reader);
  assert.deepEqual(docs.map(layout), [
    ['T:Hello', 'I:1,2,3'],
    ['I:1,2,3', 'T:World', 'I:1,2,3'],
  ]);
  assert.deepEqual([reader.report.read, reader.report.skipped], [2, 1]);
  assert.match(reader.report.problems[0], /paths\.parquet row 2: position 0 has both a text and an image/);

  const bin = write(
    'bytes.parquet',
    [
      [null, png],
      [png, null, png],
      [png, null],
    ],
    [{ name: 'element', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' }],
  );
  const binDocs = await collect(readObelicsParquet(bin, { onError: 'skip' }));
  assert.deepEqual(binDocs.map(layout), [
    ['T:Hello', 'I:7,8,9'],
    ['I:7,8,9', 'T:World', 'I:7,8,9'],
  ]);

  const structs = write(
    'structs.parquet',
    [
      [null, { bytes: png, path: null }],
      [{ bytes: null, path: 'a.png' }, null, { bytes: png, path: 'x' }],
      [{ bytes: png, path: null }, null],
    ],
    [
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
  );
  const structDocs = await collect(readObelicsParquet(structs, { imageRoot: dir, onError: 'skip' }));
  assert.deepEqual(structDocs.map(layout), [
    ['T:Hello', 'I:7,8,9'],
    ['I:1,2,3', 'T:World', 'I:7,8,9'],
  ]);

  writeFileSync(join(dir, 'junk.parquet'), 'PAR1 nope');
  await assert.rejects(collect(readObelicsParquet(join(dir, 'junk.parquet'))), /junk\.parquet: not a readable parquet file/);
});

test('text jsonl: {"text"} lines become text documents; bad lines named or counted', async () => {
  const dir = tempDir('text');
  const path = join(dir, 'text.jsonl');
  writeFileSync(path, ['{"text": "One."}', '{"id": 7, "text": "Two."}', '{"body": "wrong field"}', 'not json'].join('\n'));
  await assert.rejects(collect(readTextJsonl(path)), (e: Error) => e.message.startsWith(`${path} line 3: field "text" must be a string`));
  const reader = readTextJsonl(path, { onError: 'skip' });
  const docs = await collect(reader);
  assert.deepEqual(docs, [
    { source: 'text', id: 'text:text.jsonl:1', segments: [{ kind: 'text', text: 'One.' }] },
    { source: 'text', id: 'text:7', segments: [{ kind: 'text', text: 'Two.' }] },
  ]);
  assert.deepEqual([reader.report.read, reader.report.skipped], [2, 2]);
});
