// The CLIP encoder stage and the quick start, end to end at smoke size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { quickstart, QUICKSTART_PICTURE_TASKS, QUICKSTART_TEXT_TASKS } from '../../src/jobs/quickstart.js';
import { readLog } from '../../src/train/loop.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { loadModel } from '../../src/model/infer/load.js';
import { recipeModel } from '../../src/model/build/recipes.js';

test('clip stage: starts near ln B, returns only the encoder, and is reused when the settings match', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-clip-'));
  try {
    const tokenizer = worldTokenizer();
    const vision = { ...recipeModel('tiny', tokenizer.vocabSize).vision, imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 };
    const o = { vision, tokenizer, steps: 4, batchSize: 8, lr: 1e-3, seed: 0, renderSize: 64, out: join(dir, 'clip'), quiet: true };
    const r = await clipPretrain(o);
    assert.ok(Math.abs(r.losses[0] - Math.log(8)) < 1.5, `first loss ${r.losses[0]} should be near ln 8 = 2.08`);
    assert.ok([...r.vision.keys()].every((k) => k.startsWith('vision.')) && r.vision.has('vision.patch_embedding.weight'));
    const again = await clipPretrain(o);
    assert.equal(again.losses.length, 0, 'second call must reuse the saved encoder');
    assert.deepEqual(again.vision.get('vision.patch_embedding.weight')!.data, r.vision.get('vision.patch_embedding.weight')!.data);
    const changed = await clipPretrain({ ...o, steps: 5 });
    assert.equal(changed.losses.length, 5, 'different settings must retrain');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clip stage: stopped partway, it resumes from its checkpoint and ends with the weights of an uninterrupted stage, bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-clip-resume-'));
  try {
    const tokenizer = worldTokenizer();
    const vision = { ...recipeModel('tiny', tokenizer.vocabSize).vision, imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 };
    const o = { vision, tokenizer, steps: 6, batchSize: 8, lr: 1e-3, seed: 0, renderSize: 64, quiet: true, checkpointEvery: 2 };
    const whole = await clipPretrain({ ...o, out: join(dir, 'whole') });
    assert.ok(!existsSync(join(dir, 'whole', 'checkpoints')), 'a finished stage keeps no checkpoints');
    const first = await clipPretrain({ ...o, out: join(dir, 'split'), stopAfter: 3 });
    assert.equal(first.stoppedAt, 3);
    assert.ok(!existsSync(join(dir, 'split', 'settings.json')), 'a stopped stage is not finished');
    const rest = await clipPretrain({ ...o, out: join(dir, 'split') });
    assert.equal(rest.losses.length, 3, 'the resumed stage runs only steps 4–6');
    assert.deepEqual(rest.losses, whole.losses.slice(3));
    for (const [name, t] of whole.vision) assert.deepEqual(rest.vision.get(name)!.data, t.data, name);
    // A checkpoint of other settings is not resumed: a stage with another seed starts over.
    await clipPretrain({ ...o, out: join(dir, 'other'), stopAfter: 2 });
    const reseeded = await clipPretrain({ ...o, seed: 1, out: join(dir, 'other') });
    assert.equal(reseeded.losses.length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('quickstart at smoke size: trains, evaluates against blanked images, writes the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-qs-'));
  try {
    const r = await quickstart({ out: dir, steps: 6, clipSteps: 3, evalLimit: 3, shots: [0, 1], seed: 0, quiet: true, command: 'mm1 quickstart (test)' });
    assert.ok(existsSync(r.reportHtml));
    const html = readFileSync(r.reportHtml, 'utf8');
    assert.match(html, /<svg/);
    assert.match(html, /world-vqav2/);
    assert.match(html, /data:image\/png;base64,/);
    assert.equal(r.rows.length, 6 * 2);
    for (const row of r.rows) assert.ok(Number.isFinite(row.model) && Number.isFinite(row.blank), JSON.stringify(row));
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /\| world-coco \| CIDEr \| 0 \|/);
    // The text-only tasks are not run again with images blanked: their blanked scores are the
    // model pass's, and only the picture tasks left samples in the blanked pass's directory.
    for (const row of r.rows.filter((x) => QUICKSTART_TEXT_TASKS.includes(x.task))) assert.equal(row.blank, row.model, row.task);
    const blankSamples = readdirSync(join(dir, 'eval', 'blank', 'samples')).map((f) => f.split('.')[0]);
    assert.deepEqual([...new Set(blankSamples)].sort(), [...QUICKSTART_PICTURE_TASKS].sort());
    // Pictures are drawn at the encoder's side in training, and the evaluation drew its own at that side too.
    const trained = await loadModel(join(dir, 'model'));
    assert.equal(trained.info.renderSize, 48);
    await trained.release();
    assert.equal(JSON.parse(readFileSync(join(dir, 'eval', 'model', 'results.json'), 'utf8')).model.renderSize, 48);
    // A second run reuses the finished model instead of training again: the weights file is
    // not rewritten and the training log gains no step.
    const weights = join(dir, 'model', 'model.safetensors');
    const before = { mtime: statSync(weights).mtimeMs, steps: readLog(dir).length };
    assert.equal(before.steps, 6);
    await quickstart({ out: dir, steps: 6, clipSteps: 3, evalLimit: 3, shots: [0], seed: 0, evalSeed: 5, quiet: true, command: 'again' });
    assert.deepEqual({ mtime: statSync(weights).mtimeMs, steps: readLog(dir).length }, before, 'reuse must not train again');
    const evalSeeds = ['model', 'blank'].map((w) => (JSON.parse(readFileSync(join(dir, 'eval', w, 'results.json'), 'utf8')) as { seed: number }).seed);
    assert.deepEqual(evalSeeds, [5, 5], '--eval-seed picks the items of both passes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
