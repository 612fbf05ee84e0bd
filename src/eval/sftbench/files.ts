// Reading the released benchmark files: parquet tables (Hugging Face releases), image cells
// ({bytes, path} structs, as `datasets` writes them) and Python list literals stored as text
// (MMMU's "options" column is str(list)).
import { existsSync } from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { ImageInput } from '../items.js';

export type Row = Record<string, unknown>;

/** All rows of a parquet file (benchmark splits are small), holding only the `required`
 *  columns (MMMU's unused image_2..image_7 bytes stay on disk). */
export async function readParquetRows(path: string, required: readonly string[], what: string): Promise<Row[]> {
  if (!existsSync(path)) throw new Error(`cannot read ${what} file ${path}: no such file. Check the path (--data).`);
  let file;
  let columns: string[];
  try {
    file = await asyncBufferFromFile(path);
    columns = parquetSchema(await parquetMetadataAsync(file)).children.map((c) => c.element.name);
  } catch (err) {
    throw new Error(`${what} file ${path} is not a readable parquet file (${(err as Error).message}). Download the release's .parquet file.`);
  }
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new Error(`${what} file ${path} lacks column(s) ${missing.join(', ')} (it has ${columns.join(', ')}). Is it the right file?`);
  // utf8: false keeps binary columns (image bytes) as Uint8Array; UTF8 strings stay strings.
  return (await parquetReadObjects({ file, columns: [...required], utf8: false })) as Row[];
}

/** A `datasets` Image cell ({bytes, path}) as an image input keyed by `key`; undefined when empty. */
export function imageCell(cell: unknown, key: string): ImageInput | undefined {
  if (cell === null || cell === undefined) return undefined;
  const bytes = (cell as { bytes?: unknown }).bytes;
  if (bytes instanceof Uint8Array && bytes.length > 0) return { key, bytes };
  throw new Error(
    `${key}: the image cell has no bytes (got ${JSON.stringify(cell).slice(0, 80)}). Expected a {bytes, path} struct as Hugging Face datasets write images.`,
  );
}

/** A Python list-of-strings literal, e.g. "['a', \"b's\"]" (what str(list) prints). */
export function parsePyStringList(text: string, where: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('[');
  const fail = (why: string) => new Error(`${where}: ${JSON.stringify(text.slice(0, 80))} is not a Python list of strings (${why}).`);
  if (i < 0) throw fail('no "["');
  i++;
  const skipSpace = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  for (;;) {
    skipSpace();
    if (text[i] === ']') return out;
    const quote = text[i];
    if (quote !== "'" && quote !== '"') throw fail(`expected a quoted string at ${i}`);
    let s = '';
    for (i++; text[i] !== quote; i++) {
      if (i >= text.length) throw fail('unterminated string');
      if (text[i] === '\\') {
        const next = text[++i];
        if (next === 'x' || next === 'u') {
          const len = next === 'x' ? 2 : 4;
          s += String.fromCharCode(parseInt(text.slice(i + 1, i + 1 + len), 16));
          i += len;
        } else s += ESCAPES[next] ?? `\\${next}`;
      } else s += text[i];
    }
    out.push(s);
    i++;
    skipSpace();
    if (text[i] === ',') i++;
    else if (text[i] !== ']') throw fail(`expected "," or "]" at ${i}`);
  }
}

/** A small deterministic hash (FNV-1a) for seeded choices that must not depend on order. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
