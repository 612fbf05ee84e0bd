import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zerosHost } from '../../src/engine/host_tensor.js';
import { tensor } from '../helpers/host.js';
import { loadIntoStore, type ExpectedTensor } from '../../src/engine/load_into_store.js';
import { decodeSafetensors, encodeSafetensors, writeSafetensors } from '../../src/engine/safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-load-'));

const expected = new Map<string, ExpectedTensor>([
  ['embed', [4, 2]],
  ['blocks.0.w', [2, 2]],
  ['step_count', { shape: [], dtype: 'int64' }],
]);

test('a matching file loads every parameter, and rename maps HF names', () => {
  const path = join(dir, 'hf.safetensors');
  writeSafetensors(path, {
    'model.embed_tokens.weight': tensor(
      'float32',
      [4, 2],
      Float32Array.from({ length: 8 }, (_, i) => i),
    ),
    'model.layers.0.w': zerosHost('float32', [2, 2]),
    step: tensor('int64', [], BigInt64Array.of(9n)),
    'lm_head.weight': zerosHost('float32', [2, 4]),
  });
  const names: Record<string, string | null> = {
    'model.embed_tokens.weight': 'embed',
    'model.layers.0.w': 'blocks.0.w',
    step: 'step_count',
    'lm_head.weight': null,
  };
  const result = loadIntoStore(expected, path, { rename: (n) => (n in names ? names[n] : n) });
  assert.deepEqual([...result.tensors.keys()].sort(), ['blocks.0.w', 'embed', 'step_count']);
  assert.equal((result.tensors.get('embed')!.data as Float32Array)[7], 7);
  assert.deepEqual(result.ignored, ['lm_head.weight']);
  assert.deepEqual(result.missing, []);
});

test('F16/BF16 tensors load into float32 parameters', () => {
  // Hand-made header: a BF16 [4, 2] of 1.0 (0x3F80) and an F16 [2, 2] of -2 (0xC000).
  const text = JSON.stringify({
    embed: { dtype: 'BF16', shape: [4, 2], data_offsets: [0, 16] },
    'blocks.0.w': { dtype: 'F16', shape: [2, 2], data_offsets: [16, 24] },
  });
  const bytes = Buffer.alloc(8 + text.length + 24);
  bytes.writeBigUInt64LE(BigInt(text.length));
  bytes.write(text, 8, 'latin1');
  for (let i = 0; i < 8; i++) bytes.writeUInt16LE(0x3f80, 8 + text.length + 2 * i);
  for (let i = 0; i < 4; i++) bytes.writeUInt16LE(0xc000, 8 + text.length + 16 + 2 * i);
  const result = loadIntoStore(expected, decodeSafetensors(bytes, 'half.safetensors'), { allowMissing: true });
  assert.deepEqual(result.tensors.get('embed')!.data, new Float32Array(8).fill(1));
  assert.deepEqual(result.tensors.get('blocks.0.w')!.data, new Float32Array(4).fill(-2));
  assert.deepEqual(result.missing, ['step_count']);
});

test('one error lists every misfit tensor with expected vs found, and the fixes', () => {
  const file = decodeSafetensors(
    Buffer.concat(
      encodeSafetensors(
        {
          embed: zerosHost('float32', [8, 2]),
          step_count: zerosHost('int32', []),
          'vision.proj': zerosHost('float32', [3]),
        },
        { recipe: 'small' },
      ),
    ),
    'ckpt/model.safetensors',
  );
  assert.throws(
    () => loadIntoStore(expected, file),
    (err: Error) => {
      const lines = err.message.split('\n');
      assert.equal(lines[0], 'ckpt/model.safetensors does not fit the model (4 problems):');
      assert.ok(lines.includes("  - 'embed': expected float32 [4, 2], found F32 [8, 2]"), err.message);
      assert.ok(lines.includes("  - 'step_count': expected int64, found I32 (read as int32)"), err.message);
      assert.ok(lines.includes("  - 'vision.proj': in the file but not a parameter of the model"), err.message);
      assert.ok(lines.includes("  - 'blocks.0.w': missing from the file (expected float32 [2, 2])"), err.message);
      assert.match(err.message, /another model configuration \(its metadata says recipe 'small'\)/);
      assert.match(err.message, /--allow-missing/);
      assert.match(err.message, /--no-strict/);
      return true;
    },
  );
});

test('strict: false ignores unknown tensors; allowMissing reports the missing ones', () => {
  const file = decodeSafetensors(Buffer.concat(encodeSafetensors({ embed: zerosHost('float32', [4, 2]), extra: zerosHost('float32', [1]) })));
  const result = loadIntoStore(expected, file, { strict: false, allowMissing: true });
  assert.deepEqual([...result.tensors.keys()], ['embed']);
  assert.deepEqual(result.ignored, ['extra']);
  assert.deepEqual(result.missing, ['blocks.0.w', 'step_count']);
});

test('two file tensors renamed onto one parameter is an error', () => {
  const file = decodeSafetensors(Buffer.concat(encodeSafetensors({ a: zerosHost('float32', [4, 2]), b: zerosHost('float32', [4, 2]) })));
  assert.throws(() => loadIntoStore(expected, file, { allowMissing: true, rename: () => 'embed' }), /'embed' \(from 'b'\): also produced by 'a'/);
});
