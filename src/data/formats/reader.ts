// What every format reader shares: an async iterable of items plus a report of what was
// read and what was skipped. A broken record either stops the read with an error naming
// the file, the record and the fix, or — when the caller passes { onError: 'skip' } — is
// skipped and counted. Nothing is dropped silently.

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { issueLines } from '../../schema/format_issues.js';

export interface ReadOptions {
  /** 'throw' (default): the first broken record stops the read. 'skip': skip it and count it. */
  onError?: 'throw' | 'skip';
}

export interface ReadReport {
  file: string;
  /** Items yielded. */
  read: number;
  /** Records skipped because they were broken (only with onError: 'skip'). */
  skipped: number;
  /** The first few skip reasons, for the log. */
  problems: string[];
}

export interface Reader<T> extends AsyncIterable<T> {
  /** Filled in while iterating; final once iteration ends. */
  readonly report: ReadReport;
}

const MAX_PROBLEMS = 20;

/** A broken record; `message` says what is wrong and how to fix it. */
export class RecordError extends Error {}

/** Runs `parse` for one record; returns undefined when the record was skipped. */
export type TryRecord = <T>(where: string, parse: () => T | Promise<T>) => Promise<T | undefined>;

/**
 * Build a Reader from a generator. The generator wraps each record in `tryRecord(where, fn)`
 * (where = "line 12", "annotations[3]", ...): errors thrown inside become
 * "<file> <where>: <message>" and are thrown or counted according to onError.
 */
export function makeReader<T>(file: string, options: ReadOptions, produce: (tryRecord: TryRecord) => AsyncGenerator<T>): Reader<T> {
  const report: ReadReport = { file, read: 0, skipped: 0, problems: [] };
  const tryRecord: TryRecord = async (where, parse) => {
    try {
      return await parse();
    } catch (err) {
      const message = `${file} ${where}: ${(err as Error).message}`;
      if (options.onError !== 'skip') throw new RecordError(message);
      report.skipped++;
      if (report.problems.length < MAX_PROBLEMS) report.problems.push(message);
      return undefined;
    }
  };
  return {
    report,
    async *[Symbol.asyncIterator]() {
      for await (const item of produce(tryRecord)) {
        report.read++;
        yield item;
      }
    },
  };
}

/**
 * One record of a shard, found but not yet parsed. `offset` is where it sits in its shard
 * (the tar sample, JSON line or parquet row index): a read resumed at that offset starts with
 * it, without parsing what comes before. `load` parses it (decoding its images) and throws
 * a message saying what is wrong and how to fix it when the record is broken.
 */
export interface ShardRecord<T> {
  offset: number;
  /** Names the record inside its shard for messages, e.g. "line 12" or "row 3". */
  where: string;
  load(): Promise<T>;
}

/** The records of one shard from offset `from` on, in shard order. */
export type ShardRecords<T> = (path: string, from: number) => AsyncGenerator<ShardRecord<T>>;

/** A Reader over whole shards, one after the other, each record through tryRecord. */
export function readShards<T>(label: string, paths: readonly string[], records: ShardRecords<T>, options: ReadOptions): Reader<T> {
  return makeReader(label, options, async function* (tryRecord) {
    for (const path of paths) {
      for await (const record of records(path, 0)) {
        const item = await tryRecord(paths.length > 1 ? `${basename(path)} ${record.where}` : record.where, record.load);
        if (item !== undefined) yield item;
      }
    }
  });
}

/** Read a whole JSON file; a parse error names the file (never skippable: no record to skip). */
export async function readJsonValue(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); the file is truncated or not JSON.`);
  }
}

/** Non-empty lines of a text file with 1-based line numbers, streamed; lines before `fromLine` are passed over unparsed. */
export async function* readLines(path: string, fromLine = 1): AsyncGenerator<{ line: number; text: string }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (line >= fromLine && text.trim() !== '') yield { line, text };
  }
}

/** The records of a JSON Lines shard: offset = 1-based line number, `parse` turns one line into an item. */
export function jsonLineRecords<T>(parse: (text: string, line: number, path: string) => T | Promise<T>): ShardRecords<T> {
  return async function* (path, from) {
    for await (const { line, text } of readLines(path, Math.max(from, 1))) {
      yield { offset: line, where: `line ${line}`, load: async () => parse(text, line, path) };
    }
  };
}

/** Parse one JSON Lines record, or explain how a line must look. */
export function parseJsonLine(text: string, expected: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid JSON (${(err as Error).message}). Fix: each line must be one JSON object ${expected}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`expected a JSON object ${expected}, got ${JSON.stringify(value).slice(0, 60)}.`);
  }
  return value as Record<string, unknown>;
}

/** One record checked against a zod schema; the error lists each bad field on one line. */
export function parseRecord<S extends z.ZodType>(schema: S, record: unknown): z.infer<S> {
  const r = schema.safeParse(record);
  if (!r.success) throw new Error(`${issueLines(r.error.issues).join('; ')}.`);
  return r.data;
}

/** A required string field, or an error naming it. */
export function stringField(record: Record<string, unknown>, field: string, fix = ''): string {
  const v = record[field];
  if (typeof v !== 'string') {
    throw new Error(`field "${field}" must be a string, got ${v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 40)}.${fix ? ` Fix: ${fix}` : ''}`);
  }
  return v;
}

/** A required string-or-number id field, as a string. */
export function idField(record: Record<string, unknown>, field: string): string {
  const v = record[field];
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new Error(`field "${field}" must be a string or number id, got ${JSON.stringify(v) ?? 'nothing'}.`);
  }
  return String(v);
}

/** Resolve an image path from a data file against the image root (absolute paths kept). */
export function resolveImagePath(imageRoot: string, path: string): string {
  if (/^[a-z]+:\/\//i.test(path)) {
    throw new Error(`image "${path}" is a URL; mm1 reads local files only. Fix: download the images and point imageRoot at them.`);
  }
  return isAbsolute(path) ? path : join(imageRoot, path);
}
