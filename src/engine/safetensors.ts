// The safetensors format, read and written by hand: an 8-byte little-endian header length N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
// then the raw little-endian tensor bytes, packed without gaps.
// Why by hand: the format is ~150 lines, and npm has no maintained reader/writer for Node (the
// package named `safetensors` is a single 0.0.1 release with no repository or docs); we need
// F16/BF16 → float32, the reference implementation's offset checks, and errors that name tensors.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { atomicWriteFile } from './atomic_write.js';
import { decodeBF16, decodeF16 } from './half_float.js';
import type { DType, TypedArray } from './dtype.js';
import { checkHostTensor, numel, shapeString, type HostTensor } from './host_tensor.js';

/** How each stored dtype is read: its width on disk and the host dtype it becomes. */
const READABLE: Record<string, { bytes: number; dtype: DType }> = {
  F32: { bytes: 4, dtype: 'float32' },
  F16: { bytes: 2, dtype: 'float32' },
  BF16: { bytes: 2, dtype: 'float32' },
  F64: { bytes: 8, dtype: 'float64' },
  I64: { bytes: 8, dtype: 'int64' },
  I32: { bytes: 4, dtype: 'int32' },
  U8: { bytes: 1, dtype: 'int32' }, // widened: HostTensor has no uint8
  BOOL: { bytes: 1, dtype: 'bool' },
};
const WRITTEN_AS: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', int32: 'I32', bool: 'BOOL' };
/** The reference implementation's limit; a larger "header" means a corrupt or foreign file. */
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface SafetensorsEntry {
  name: string;
  /** As stored, e.g. 'BF16'. */
  dtype: string;
  shape: number[];
  /** [begin, end) in bytes, relative to the start of the data section. */
  offsets: [number, number];
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

export interface SafetensorsFile extends SafetensorsHeader {
  /** The path (or label) named in errors. */
  source: string;
  /** Every tensor, with F16/BF16 widened to float32 and U8 to int32. */
  tensors: Map<string, HostTensor>;
}

export type TensorsIn = Map<string, HostTensor> | Record<string, HostTensor>;

/** Reads a whole .safetensors file. Tensors are views into one buffer where alignment allows. */
export function readSafetensors(path: string): SafetensorsFile {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const headerLength = readHeaderLength(readExactly(fd, 0, Math.min(8, size)), size, path);
    const header = parseHeader(readExactly(fd, 8, headerLength), path);
    // One fresh buffer for the data section: its start is 8-byte aligned, so the offsets the
    // writer chose decide alignment, and typed-array views need no copy.
    const data = readExactly(fd, 8 + headerLength, size - 8 - headerLength);
    return { source: path, ...header, tensors: materialise(header.entries, data, path) };
  } finally {
    closeSync(fd);
  }
}

/** Parses safetensors bytes already in memory. */
export function decodeSafetensors(bytes: Uint8Array, source = '<memory>'): SafetensorsFile {
  const headerLength = readHeaderLength(bytes.subarray(0, 8), bytes.byteLength, source);
  const header = parseHeader(bytes.subarray(8, 8 + headerLength), source);
  return { source, ...header, tensors: materialise(header.entries, bytes.subarray(8 + headerLength), source) };
}

/** Serialises tensors (sorted by element width, then name, so every tensor stays aligned). */
export function encodeSafetensors(tensors: TensorsIn, metadata: Record<string, string> = {}): Uint8Array[] {
  const named = (tensors instanceof Map ? [...tensors] : Object.entries(tensors))
    .map(([name, t]) => {
      if (name === '__metadata__' || name === '') throw new Error(`safetensors: '${name}' cannot be a tensor name`);
      checkHostTensor(name, t);
      return { name, t };
    })
    .sort((a, b) => b.t.data.BYTES_PER_ELEMENT - a.t.data.BYTES_PER_ELEMENT || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new Error(`safetensors: metadata '${key}' must be a string, got ${typeof value}`);
  }
  const json: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { name, t } of named) {
    json[name] = { dtype: WRITTEN_AS[t.dtype], shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  // TextEncoder and DataView rather than Buffer: the browser page (web/) saves models with this too.
  const utf8 = new TextEncoder();
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - (utf8.encode(text).byteLength % 8)) % 8); // keeps the data section 8-byte aligned
  const headerBytes = utf8.encode(text);
  const lengthBytes = new Uint8Array(8);
  new DataView(lengthBytes.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  const bodies = named.map(({ t }) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return [lengthBytes, headerBytes, ...bodies];
}

/** Writes a .safetensors file atomically (temp file, fsync, rename). */
export function writeSafetensors(path: string, tensors: TensorsIn, metadata?: Record<string, string>): void {
  atomicWriteFile(path, encodeSafetensors(tensors, metadata));
}

function readExactly(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, Math.min(1 << 30, length - done), position + done);
    if (n === 0) break; // the file shrank underneath us; the size checks below report it
    done += n;
  }
  return out.subarray(0, done);
}

function readHeaderLength(first8: Uint8Array, fileSize: number, source: string): number {
  if (fileSize < 8) throw new Error(`${source}: file is ${fileSize} bytes, too short for a safetensors file (8-byte header length missing)`);
  const length = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(fileSize - 8)) {
    throw new Error(`${source}: header length says ${length} bytes but only ${fileSize - 8} follow; the file is truncated or not safetensors`);
  }
  if (length > BigInt(MAX_HEADER_BYTES)) throw new Error(`${source}: header length ${length} exceeds ${MAX_HEADER_BYTES} bytes; not a safetensors file`);
  return Number(length);
}

function parseHeader(bytes: Uint8Array, source: string): SafetensorsHeader {
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!text.startsWith('{')) throw new Error('it does not start with "{"');
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: header is not valid JSON (${(err as Error).message}); the file is corrupt or not safetensors`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${source}: header must be a JSON object`);
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      const ok = typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
      if (!ok) throw new Error(`${source}: __metadata__ must map strings to strings`);
      metadata = value as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    const shapeOk = Array.isArray(v?.shape) && v.shape.every(isCount);
    const offsetsOk = Array.isArray(v?.data_offsets) && v.data_offsets.length === 2 && v.data_offsets.every(isCount);
    if (typeof v?.dtype !== 'string' || !shapeOk || !offsetsOk) {
      throw new Error(`${source}: tensor '${name}' needs {dtype: string, shape: int[], data_offsets: [begin, end]}, got ${JSON.stringify(value)}`);
    }
    const [begin, end] = v.data_offsets as [number, number];
    if (end < begin) throw new Error(`${source}: tensor '${name}' has data_offsets [${begin}, ${end}] that end before they begin`);
    entries.push({ name, dtype: v.dtype, shape: v.shape as number[], offsets: [begin, end] });
  }
  return { entries, metadata };
}

function materialise(entries: SafetensorsEntry[], data: Uint8Array, source: string): Map<string, HostTensor> {
  if (!LITTLE_ENDIAN) throw new Error('safetensors: big-endian hosts are not supported');
  for (const e of entries) {
    const kind = READABLE[e.dtype];
    if (!kind) {
      throw new Error(
        `${source}: tensor '${e.name}' has dtype '${e.dtype}', which mm1 cannot read (it reads ${Object.keys(READABLE).join(', ')}); convert the file to F32 or BF16 first`,
      );
    }
    const want = numel(e.shape) * kind.bytes;
    if (e.offsets[1] - e.offsets[0] !== want) {
      throw new Error(
        `${source}: tensor '${e.name}' is ${e.dtype} ${shapeString(e.shape)} (${want} bytes) but its data_offsets [${e.offsets}] span ${e.offsets[1] - e.offsets[0]} bytes`,
      );
    }
    if (e.offsets[1] > data.byteLength) {
      throw new Error(
        `${source}: tensor '${e.name}' ends at data byte ${e.offsets[1]} but the file has only ${data.byteLength} data bytes; the file is truncated (copy or download it again)`,
      );
    }
  }
  // The reference implementation rejects holes and overlaps: each tensor starts where the previous ends.
  const byOffset = [...entries].sort((a, b) => a.offsets[0] - b.offsets[0] || a.offsets[1] - b.offsets[1]);
  let end = 0;
  let previous = '(start of data)';
  for (const e of byOffset) {
    if (e.offsets[0] !== end) {
      throw new Error(
        `${source}: tensor '${e.name}' starts at data byte ${e.offsets[0]} but ${previous} ends at ${end}; tensors must be packed without gaps or overlaps`,
      );
    }
    end = e.offsets[1];
    previous = `tensor '${e.name}'`;
  }
  if (end !== data.byteLength) throw new Error(`${source}: ${data.byteLength - end} bytes after the last tensor belong to no tensor; the file is corrupt`);

  const tensors = new Map<string, HostTensor>();
  for (const e of entries) {
    const bytes = data.subarray(e.offsets[0], e.offsets[1]);
    tensors.set(e.name, { dtype: READABLE[e.dtype].dtype, shape: e.shape, data: typedView(e.dtype, bytes, numel(e.shape)) });
  }
  return tensors;
}

const VIEWABLE = { F32: Float32Array, F64: Float64Array, I64: BigInt64Array, I32: Int32Array } as const;

function typedView(dtype: string, bytes: Uint8Array, n: number): TypedArray {
  if (dtype === 'F16') return decodeF16(bytes, n);
  if (dtype === 'BF16') return decodeBF16(bytes, n);
  if (dtype === 'U8') return Int32Array.from(bytes);
  if (dtype === 'BOOL') return bytes;
  const Ctor = VIEWABLE[dtype as keyof typeof VIEWABLE];
  // A view when the offset is aligned for the element type; a copy (fresh, aligned) otherwise.
  const aligned = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : new Uint8Array(bytes);
  return new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, n);
}
