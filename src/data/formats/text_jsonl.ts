// Text-only documents from JSON Lines: one {"text": "..."} object per line (other fields,
// such as "id", are allowed; "id" is kept).

import { basename } from 'node:path';
import type { Document } from '../document.js';
import { jsonLineRecords, parseJsonLine, readShards, stringField, type ReadOptions, type Reader, type ShardRecords } from './reader.js';

/** The records of one text JSON Lines shard (offset = line number), parsed lazily. */
export const textJsonlRecords: ShardRecords<Document> = jsonLineRecords((text, line, path): Document => {
  const row = parseJsonLine(text, 'like {"text": "..."}');
  const body = stringField(row, 'text', 'each line needs {"text": "..."}.');
  if (body.trim() === '') throw new Error('empty "text". Fix: remove the line.');
  const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `${basename(path)}:${line}`;
  return { source: 'text', id: `text:${id}`, segments: [{ kind: 'text', text: body }] };
});

export function readTextJsonl(path: string, options: ReadOptions = {}): Reader<Document> {
  return readShards(path, [path], textJsonlRecords, options);
}
