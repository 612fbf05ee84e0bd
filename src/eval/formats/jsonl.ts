// Shared by the TextCore readers: JSON Lines files whose broken lines are reported as
// "<file> line <n>: <what is wrong>. Fix: ...", via the data readers' machinery.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { makeReader, parseJsonLine, readLines, type Reader } from '../../data/formats/reader.js';

export type JsonlRow = Record<string, unknown>;

/** Items of a .jsonl file; `parse` throws (with a fix) on a malformed row. It gets the row,
 *  an id to use when the row has none (file:line) and the row's 0-based index. */
export function readJsonlItems<T>(path: string, expected: string, parse: (row: JsonlRow, fallbackId: string, index: number) => T): Reader<T> {
  return makeReader(path, {}, async function* (tryRecord) {
    if (!existsSync(path)) throw new Error(`cannot read ${path}: no such file. Expected a JSON Lines file, one object ${expected} per line.`);
    let index = 0;
    for await (const { line, text } of readLines(path)) {
      const i = index++;
      const item = await tryRecord(`line ${line}`, () => parse(parseJsonLine(text, expected), `${basename(path)}:${line}`, i));
      if (item !== undefined) yield item;
    }
  });
}

/** The first `limit` items (all when undefined); stops reading there. */
export async function collect<T>(items: AsyncIterable<T>, limit?: number): Promise<T[]> {
  const out: T[] = [];
  if (limit !== undefined && limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

/** Row id: its "id" field if it has one, else file:line. */
export function rowId(row: JsonlRow, fallback: string, field = 'id'): string {
  const v = row[field];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
}

export function text(row: JsonlRow, field: string, fix: string): string {
  const v = row[field];
  if (typeof v !== 'string') {
    throw new Error(`field "${field}" must be a string, got ${v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 40)}. Fix: ${fix}`);
  }
  return v;
}

export function textList(row: JsonlRow, field: string, fix: string): string[] {
  const v = row[field];
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) {
    throw new Error(`field "${field}" must be a non-empty list of strings, got ${v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 60)}. Fix: ${fix}`);
  }
  return v as string[];
}

/** An integer label given as a number or a numeric string ("2"). */
export function intLabel(value: unknown, what: string, fix: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw new Error(`${what} must be an integer label, got ${JSON.stringify(value) ?? 'nothing'}. Fix: ${fix}`);
  return n;
}

/** A label index in [0, n), or an error saying the range. */
export function checkIndex(index: number, n: number, what: string): number {
  if (index < 0 || index >= n) throw new Error(`${what} ${index} is out of range: there are ${n} choices (0..${n - 1}).`);
  return index;
}
