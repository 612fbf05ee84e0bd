import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src/ablate/canonical_json.js';
import { RunCache, runKey } from '../../src/ablate/cache.js';
import { flatten, mergeConfig, nested } from '../../src/ablate/config_paths.js';

test('canonical JSON sorts keys at every level and rejects what JSON cannot carry, naming the path', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: undefined }), canonicalJson({ a: 1 }));
  assert.throws(() => canonicalJson({ train: { lr: NaN } }), /\$\.train\.lr is NaN/);
  assert.throws(() => canonicalJson({ eval: { shots: [0, undefined] } }), /\$\.eval\.shots\[1\] is undefined/);
  assert.throws(() => canonicalJson({ when: new Date(0) }), /\$\.when is a Date object/);
});

test('run keys ignore key order but change with config, seed and salt', () => {
  const a = { model: { vision: { imageSize: 64, width: 64 } }, train: { steps: 100 } };
  const b = { train: { steps: 100 }, model: { vision: { width: 64, imageSize: 64 } } };
  const key = runKey({ config: a, seed: 0, salt: 's' });
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(runKey({ config: b, seed: 0, salt: 's' }), key);
  assert.notEqual(runKey({ config: a, seed: 1, salt: 's' }), key);
  assert.notEqual(runKey({ config: a, seed: 0, salt: 't' }), key);
  assert.notEqual(runKey({ config: { ...a, train: { steps: 101 } }, seed: 0, salt: 's' }), key);
  // Pinned: the key must not drift between mm1 builds for the same inputs (that would silently discard caches).
  assert.equal(runKey({ config: { x: 1 }, seed: 0, salt: 'pin' }), '14617f1f85370296'); // = sha256 of '{"config":{"x":1},"salt":"pin","seed":0}' (checked with sha256sum)
});

test('dotted overrides nest, merge deeply and flatten back', () => {
  const cfg = nested({ 'model.vision.imageSize': 64, 'model.connector.kind': 'avgpool', 'train.steps': 10 });
  assert.deepEqual(cfg, { model: { vision: { imageSize: 64 }, connector: { kind: 'avgpool' } }, train: { steps: 10 } });
  const merged = mergeConfig(cfg, nested({ 'model.vision.width': 96, 'train.steps': 20 }));
  assert.deepEqual(merged, { model: { vision: { imageSize: 64, width: 96 }, connector: { kind: 'avgpool' } }, train: { steps: 20 } });
  assert.deepEqual(cfg.train, { steps: 10 }, 'inputs are not modified');
  assert.deepEqual(flatten(merged), { 'model.vision.imageSize': 64, 'model.vision.width': 96, 'model.connector.kind': 'avgpool', 'train.steps': 20 });
  assert.throws(() => nested({ 'a.b': 1, 'a.b.c': 2 }), /'a\.b' is already a value/);
});

test('the cache reads finished runs only, validates them, and refuses a directory holding another run', () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-cache-'));
  const cache = new RunCache(join(out, 'runs'));
  const id = { config: { a: 1 }, seed: 0, salt: 's' };
  const key = runKey(id);
  assert.equal(cache.read(key), undefined);
  const dir = cache.begin(key, id, { study: 't' });
  assert.equal(dir, join(out, 'runs', key));
  assert.equal(cache.read(key), undefined, 'config.json alone is an unfinished run');
  assert.equal(cache.begin(key, id, { study: 't' }), dir, 'beginning again (resume) is fine');
  cache.complete(key, { metrics: { 'caption/cider': { '0': 1.5 } }, wallSeconds: 3 });
  assert.deepEqual(cache.read(key), { metrics: { 'caption/cider': { '0': 1.5 } }, wallSeconds: 3 });

  writeFileSync(join(dir, 'result.json'), '{"metrics": {"caption/cider": {"0": "high"}}, "wallSeconds": 1}');
  assert.throws(
    () => cache.read(key),
    (e: Error) => e.message.includes(join(dir, 'result.json')) && /metrics\.caption\/cider\.0/.test(e.message),
  );
  writeFileSync(join(dir, 'result.json'), '{"metrics": ');
  assert.throws(() => cache.read(key), /not valid JSON.*Delete that run directory/s);

  const other = runKey({ config: { a: 2 }, seed: 0, salt: 's' });
  mkdirSync(cache.dir(other), { recursive: true });
  writeFileSync(join(cache.dir(other), 'config.json'), JSON.stringify(id));
  assert.throws(() => cache.begin(other, { config: { a: 2 }, seed: 0, salt: 's' }, {}), /describes a different run/);
});

test('per-item scores go to items.json beside result.json and come back with the result', () => {
  const cache = new RunCache(mkdtempSync(join(tmpdir(), 'mm1-cache-')));
  const key = runKey({ config: {}, seed: 0, salt: 's' });
  cache.begin(key, { config: {}, seed: 0, salt: 's' }, {});
  const items = { 'vqa/accuracy': { '0': { q1: 100, q2: 0 } } };
  cache.complete(key, { metrics: { 'vqa/accuracy': { '0': 50 } }, wallSeconds: 1, items });
  assert.deepEqual(JSON.parse(readFileSync(join(cache.dir(key), 'items.json'), 'utf8')), items);
  assert.equal(JSON.parse(readFileSync(join(cache.dir(key), 'result.json'), 'utf8')).items, undefined, 'result.json stays small');
  assert.deepEqual(cache.read(key)?.items, items);
  writeFileSync(join(cache.dir(key), 'items.json'), '{"vqa/accuracy": {"0": {"q1": "high"}}}');
  assert.throws(() => cache.read(key), /items\.json is not a valid run result:\n {2}items\.vqa\/accuracy\.0\.q1: /);
});
