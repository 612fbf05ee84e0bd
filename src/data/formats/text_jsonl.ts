// Text-only documents from JSON Lines: one {"text": "..."} object per line (other fields,
// such as "id", are allowed; "id" is kept).

import { basename } from 'node:path';
import type { Document } from '../document.js';
import { makeReader, parseJsonLine, readLines, stringField, type ReadOptions, type Reader } from './reader.js';

export function readTextJsonl(path: string, options: ReadOptions = {}): Reader<Document> {
  return makeReader(path, options, async function* (tryRecord) {
    for await (const { line, text } of readLines(path)) {
      const doc = await tryRecord(`line ${line}`, (): Document => {
        const row = parseJsonLine(text, 'like {"text": "..."}');
        const body = stringField(row, 'text', 'each line needs {"text": "..."}.');
        if (body.trim() === '') throw new Error('empty "text". Fix: remove the line.');
        const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `${basename(path)}:${line}`;
        return { source: 'text', id: `text:${id}`, segments: [{ kind: 'text', text: body }] };
      });
      if (doc) yield doc;
    }
  });
}
