// `mm1 export web` in Node: the site's files, its model card, the bundle's browser-safety, the
// refusal to overwrite, and the tab's training config staying the quick start's.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countModelParams } from '../../src/model/build/recipes.js';
import { readModelDir } from '../../src/model/io/model_dir.js';
import { quickstartConfig } from '../../src/jobs/quickstart.js';
import { exportWeb } from '../../src/web/export_site.js';
import { tabTrainingConfig } from '../../src/web/tab_training.js';
import { tinyModelDir } from './site_fixture.js';

const root = mkdtempSync(join(tmpdir(), 'mm1-export-web-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('export web writes the page, one bundle, the onnxruntime-web build it loads, the model files and the card', async () => {
  const model = await tinyModelDir(root);
  const site = join(root, 'site');
  const { files } = await exportWeb({ model, out: site });
  const paths = files.map((f) => f.path).sort();
  assert.deepEqual(paths, [
    'card.json',
    'index.html',
    'mm1.js',
    'model/config.json',
    'model/model.safetensors',
    'model/tokenizer.json',
    'ort/ort-wasm-simd-threaded.jsep.mjs',
    'ort/ort-wasm-simd-threaded.jsep.wasm',
    'train_worker.js',
  ]);
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json'])
    assert.deepEqual(readFileSync(join(site, 'model', f)), readFileSync(join(model, f)), `${f} is copied unchanged`);
  const card = JSON.parse(readFileSync(join(site, 'card.json'), 'utf8'));
  const dir = await readModelDir(model);
  assert.equal(card.recipe, 'tiny');
  assert.deepEqual(card.params, countModelParams(dir.config));
  assert.equal(
    card.params.total,
    [...dir.weights.values()].reduce((n, t) => n + t.data.length, 0),
    'the card counts every weight in the file',
  );
  for (const f of ['mm1.js', 'train_worker.js'])
    assert.ok(!readFileSync(join(site, f), 'utf8').includes('onnxruntime_binding'), `${f} must not carry onnxruntime-node`);
  assert.match(readFileSync(join(site, 'index.html'), 'utf8'), /<script type="module" src="mm1.js">/);
});

test('export web replaces an earlier site only with --force, and never a folder of other files', async () => {
  const model = await tinyModelDir(join(root, 'b'));
  const out = join(root, 'busy');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'mine');
  await assert.rejects(exportWeb({ model, out, force: true }), /holds no exported site; choose an empty or new --out/);
  assert.ok(existsSync(join(out, 'keep.txt')));
  const site = join(root, 'again');
  await exportWeb({ model, out: site });
  await assert.rejects(exportWeb({ model, out: site }), /pass --force to replace it/);
  await exportWeb({ model, out: site, force: true });
  assert.ok(existsSync(join(site, 'mm1.js')));
});

test('the tab trains with the quick start config', () => {
  assert.deepEqual(tabTrainingConfig(900, 800, 3), quickstartConfig(900, 800, 3));
});
