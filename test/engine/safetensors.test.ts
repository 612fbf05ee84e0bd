import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bf16ToNumber, decodeBF16, decodeF16, f16ToNumber } from '../../src/engine/half_float.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { tensor } from '../helpers/host.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from '../../src/engine/safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-safetensors-'));

/** Builds a safetensors file byte by byte, the way the HF Python/Rust writer lays it out. */
function handMade(header: object, data: number[], pad = true): Uint8Array {
  let text = JSON.stringify(header);
  if (pad) text += ' '.repeat((8 - (text.length % 8)) % 8);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(Buffer.from(text, 'latin1'), 8);
  out.set(data, 8 + text.length);
  return out;
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('every writable dtype round-trips through a file, with metadata, scalars and empty tensors', () => {
  const tensors: Record<string, HostTensor> = {
    f32: tensor('float32', [2, 3], Float32Array.of(1.5, -2, 0, 3.25, 1e-30, -7)),
    f64: tensor('float64', [2], Float64Array.of(Math.PI, -1e300)),
    i64: tensor('int64', [3], BigInt64Array.of(-(2n ** 62n), 0n, 12345678901234n)),
    i32: tensor('int32', [1, 2], Int32Array.of(-5, 2 ** 31 - 1)),
    mask: tensor('bool', [4], Uint8Array.of(1, 0, 0, 1)),
    scalar: tensor('float32', [], Float32Array.of(42)),
    empty: tensor('float32', [0, 3], new Float32Array(0)),
  };
  const path = join(dir, 'roundtrip.safetensors');
  writeSafetensors(path, tensors, { format: 'pt', note: 'hi' });
  const file = readSafetensors(path);
  assert.deepEqual(file.metadata, { format: 'pt', note: 'hi' });
  assert.deepEqual([...file.tensors.keys()].sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) assert.deepEqual(file.tensors.get(name), t, name);
  assert.deepEqual(file.entries.find((e) => e.name === 'i64')?.dtype, 'I64');
});

test('written files keep the data section and every tensor aligned, so reads are zero-copy views', () => {
  const chunks = encodeSafetensors({
    b: tensor('bool', [3], Uint8Array.of(1, 1, 0)),
    a: tensor('float32', [3], Float32Array.of(1, 2, 3)),
    c: tensor('int64', [1], BigInt64Array.of(7n)),
  });
  const bytes = Buffer.concat(chunks);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  assert.equal((8 + headerLength) % 8, 0);
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
  assert.deepEqual(header.c.data_offsets, [0, 8]); // widest first
  assert.deepEqual(header.a.data_offsets, [8, 20]);
  assert.deepEqual(header.b.data_offsets, [20, 23]);
  const file = decodeSafetensors(bytes);
  assert.equal(file.tensors.get('a')!.data.buffer, bytes.buffer, 'F32 is a view, not a copy');
  assert.deepEqual([...(file.tensors.get('a')!.data as Float32Array)], [1, 2, 3]);
});

test('f16 decodes exactly: normals, subnormals, ±0, ±Inf, NaN', () => {
  const cases: [number, number][] = [
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x8001, -(2 ** -24)],
    [0x0000, 0],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ];
  for (const [bits, value] of cases) assert.equal(f16ToNumber(bits), value, `0x${bits.toString(16)}`);
  assert.ok(Object.is(f16ToNumber(0x8000), -0));
  assert.ok(Number.isNaN(f16ToNumber(0x7e00)) && Number.isNaN(f16ToNumber(0x7c01)));
  const bytes = new Uint8Array(new Uint16Array(cases.map(([b]) => b)).buffer);
  assert.deepEqual(
    [...decodeF16(bytes, cases.length)],
    cases.map(([, v]) => v),
  );
});

test('bf16 decodes exactly: normals, subnormals, ±Inf, NaN', () => {
  const cases: [number, number][] = [
    [0x3f80, 1],
    [0xc000, -2],
    [0x4049, 3.140625],
    [0x7f7f, 3.3895313892515355e38],
    [0x0001, 2 ** -133],
    [0x0080, 2 ** -126],
    [0x7f80, Infinity],
    [0xff80, -Infinity],
  ];
  for (const [bits, value] of cases) assert.equal(bf16ToNumber(bits), value, `0x${bits.toString(16)}`);
  assert.ok(Number.isNaN(bf16ToNumber(0x7fc0)));
  const bytes = new Uint8Array(new Uint16Array(cases.map(([b]) => b)).buffer);
  assert.deepEqual(
    [...decodeBF16(bytes, cases.length)],
    cases.map(([, v]) => v),
  );
});

test('reads an HF-style file written byte by byte (space-padded header, format pt, BF16/F16/I64/U8/BOOL)', () => {
  const header = {
    __metadata__: { format: 'pt' },
    'model.embed.weight': { dtype: 'BF16', shape: [2, 2], data_offsets: [16, 24] },
    'model.norm.weight': { dtype: 'F16', shape: [2], data_offsets: [24, 28] },
    position_ids: { dtype: 'I64', shape: [1, 2], data_offsets: [0, 16] },
    'pixel.levels': { dtype: 'U8', shape: [2], data_offsets: [28, 30] },
    'attn.mask': { dtype: 'BOOL', shape: [2], data_offsets: [30, 32] },
  };
  const data = [
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0, // I64 0, 1
    0x80,
    0x3f,
    0x00,
    0xc0,
    0x49,
    0x40,
    0x80,
    0x7f, // BF16 1, -2, 3.140625, Inf
    0x00,
    0x3c,
    0x01,
    0x00, // F16 1, 2^-24
    200,
    7, // U8
    1,
    0, // BOOL
  ];
  const bytes = handMade(header, data);
  assert.equal(readFileSync(save('hf.safetensors', bytes)).length % 8, 0);
  const file = readSafetensors(join(dir, 'hf.safetensors'));
  assert.deepEqual(file.metadata, { format: 'pt' });
  const get = (n: string) => file.tensors.get(n)!;
  assert.deepEqual(get('model.embed.weight'), { dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, -2, 3.140625, Infinity) });
  assert.deepEqual(get('model.norm.weight'), { dtype: 'float32', shape: [2], data: Float32Array.of(1, 2 ** -24) });
  assert.deepEqual(get('position_ids'), { dtype: 'int64', shape: [1, 2], data: BigInt64Array.of(0n, 1n) });
  assert.deepEqual(get('pixel.levels'), { dtype: 'int32', shape: [2], data: Int32Array.of(200, 7) });
  assert.deepEqual(get('attn.mask'), { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) });
});

test('unaligned tensors (legal, if unusual) are copied rather than misread', () => {
  const bytes = handMade(
    { u: { dtype: 'U8', shape: [3], data_offsets: [0, 3] }, f: { dtype: 'F32', shape: [1], data_offsets: [3, 7] } },
    [1, 2, 3, 0, 0, 0xc0, 0x3f],
  );
  assert.deepEqual(readSafetensors(save('unaligned.safetensors', bytes)).tensors.get('f')!.data, Float32Array.of(1.5));
});

test('broken files fail with the file, the tensor and the problem named', () => {
  const good = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const data8 = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];
  const expectError = (name: string, bytes: Uint8Array, pattern: RegExp) => {
    const path = save(name, bytes);
    assert.throws(
      () => readSafetensors(path),
      (err: Error) => {
        assert.ok(err.message.includes(path), err.message);
        assert.match(err.message, pattern);
        return true;
      },
    );
  };
  expectError('short.safetensors', Uint8Array.of(1, 2, 3), /too short/);
  const wholeFile = handMade(good, data8);
  expectError('cut-header.safetensors', wholeFile.subarray(0, 20), /header length says \d+ bytes but only 12 follow/);
  expectError('cut-data.safetensors', wholeFile.subarray(0, wholeFile.length - 2), /'w' ends at data byte 8 .* only 6 data bytes; the file is truncated/);
  const corrupt = handMade(good, data8);
  corrupt[12] = 0x7d; // '}' in the middle of the JSON
  expectError('corrupt.safetensors', corrupt, /header is not valid JSON/);
  expectError('not-object.safetensors', handMade([1, 2], []), /does not start with "\{"/);
  expectError(
    'fp8.safetensors',
    handMade({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, [0, 0]),
    /'w' has dtype 'F8_E4M3', which mm1 cannot read/,
  );
  expectError(
    'size.safetensors',
    handMade({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data8),
    /'w' is F32 \[3\] \(12 bytes\) but its data_offsets \[0,8\] span 8/,
  );
  const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
  expectError('gap.safetensors', handMade(gap, [...data8, 0, 0, 0, 0]), /'b' starts at data byte 8 but tensor 'a' ends at 4/);
  expectError('trailing.safetensors', handMade(good, [...data8, 9, 9]), /2 bytes after the last tensor/);
  expectError('bad-entry.safetensors', handMade({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, []), /'w' needs \{dtype/);
});

test('writing refuses data that does not match its shape, naming the tensor', () => {
  assert.throws(
    () => encodeSafetensors({ w: { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) } }),
    /tensor 'w': shape \[2, 2\] needs 4 elements, data has 3/,
  );
});

test('a file of a few hundred MB reads back intact', { skip: !process.env.MM1_SLOW && 'set MM1_SLOW=1' }, () => {
  const n = 75_000_000; // 300 MB of float32
  const big = new Float32Array(n);
  for (let i = 0; i < n; i += 1000) big[i] = i;
  const path = join(dir, 'big.safetensors');
  writeSafetensors(path, { big: tensor('float32', [n], big) });
  const back = readSafetensors(path).tensors.get('big')!.data as Float32Array;
  assert.equal(back.length, n);
  for (let i = 0; i < n; i += 1000) assert.equal(back[i], i);
});
