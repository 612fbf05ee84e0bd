// The real ablation runner at micro size: trains, evaluates and reports metrics in the keys
// and units the claims read; a second call resumes from the finished run instead of training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunCache } from '../../src/ablate/cache.js';
import { mm1Runner } from '../../src/jobs/ablation_runner.js';
import type { RunSignal } from '../../src/ablate/runner.js';
import type { EvalReport } from '../../src/eval/report.js';

/** A micro run: 2 CLIP steps, 3 pretraining steps, a 1-layer ViT and LLM. */
const MICRO = {
  seed: 0,
  model: { vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 }, llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96 } },
  encoder: { clipSteps: 2 },
  train: { steps: 3 },
  data: { version: 2 },
};

/** The signal run_study gives a runner: log lines collected, shared stages in `cacheDir`. */
function signalFor(cacheDir: string, logs: string[] = []): RunSignal {
  const cache = new RunCache(cacheDir);
  return { log: (m) => logs.push(m), sharedDir: (stage, inputs) => cache.sharedDir(stage, inputs, 'test') };
}

test('mm1Runner: CLIP stage + pretraining + world evaluation -> <task>/<measure> by shots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-runner-'));
  try {
    const config = { ...MICRO, eval: { shots: [0, 1], examplesPerTask: 2, textExamples: 2 } };
    const logs: string[] = [];
    const r = await mm1Runner(config, dir, signalFor(dir, logs));
    assert.deepEqual(Object.keys(r.metrics).sort(), [
      'caption-reading/cider',
      'caption/cider',
      'gqa/accuracy',
      'nocaps/cider',
      'okvqa/accuracy',
      'reading/accuracy',
      'text-cloze/acc',
      'text-mc/acc',
      'vizwiz/accuracy',
      'vqa/accuracy',
    ]);
    for (const [key, byShots] of Object.entries(r.metrics)) {
      assert.deepEqual(Object.keys(byShots).sort(), ['0', '1'], key);
      for (const [shots, v] of Object.entries(byShots)) {
        // Every metric is the mean of the per-item scores the run keeps for pairing (2 items per task here).
        const items = Object.values(r.items![key][shots]);
        assert.equal(items.length, 2, `${key}@${shots}`);
        assert.ok(Math.abs(items.reduce((a, b) => a + b, 0) / items.length - v) < 1e-6, `${key}@${shots}: items ${items} vs metric ${v}`);
      }
    }
    // Each metric is the evaluation's own figure for the task it is named after: compared with
    // the results.json the evaluation wrote.
    const names: Record<string, string> = {
      'world-coco': 'caption/cider',
      'world-vqav2': 'vqa/accuracy',
      'world-textvqa': 'reading/accuracy',
      'world-gqa': 'gqa/accuracy',
      'world-nocaps': 'nocaps/cider',
      'world-textcaps': 'caption-reading/cider',
      'world-vizwiz': 'vizwiz/accuracy',
      'world-okvqa': 'okvqa/accuracy',
      'world-mc': 'text-mc/acc',
      'world-cloze': 'text-cloze/acc',
    };
    let compared = 0;
    for (const part of ['image', 'text']) {
      const report = JSON.parse(readFileSync(join(dir, 'eval', part, 'results.json'), 'utf8')) as EvalReport;
      for (const res of report.results) {
        assert.equal(r.metrics[names[res.task]]?.[String(res.shots)], res.metrics[res.metric], `${res.task} ${res.shots}-shot ${res.metric}`);
        compared++;
      }
    }
    assert.equal(compared, 10 * 2);
    assert.ok(Number.isFinite(r.extra?.finalLoss), `the run reports its last pretraining loss, got ${r.extra?.finalLoss}`);
    assert.equal(r.extra?.evalSeed, 0);
    assert.match(logs[0], /pretraining 3 steps \(CLIP stage 2: training .*clip-[0-9a-f]{16}\)/);
    const again: string[] = [];
    const second = await mm1Runner(config, dir, signalFor(dir, again));
    assert.match(again[0], /^reusing the pretrained model in /, 'the second call reuses the trained model');
    assert.deepEqual(second.metrics, r.metrics);
    assert.equal(second.extra?.finalLoss, r.extra?.finalLoss);
    // The run's wall counts every attempt in its directory (run_wall.ts), as a resumed run's must.
    assert.equal(r.extra?.attempts, 1);
    assert.equal(second.extra?.attempts, 2);
    assert.ok(second.wallSeconds >= r.wallSeconds, `the second attempt's wall ${second.wallSeconds} s includes the first's ${r.wallSeconds} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mm1Runner: runs that differ only in fine-tuning pretrain once, in a shared directory', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mm1-runner-shared-'));
  try {
    const base = { ...MICRO, eval: { shots: [0], examplesPerTask: 2, textExamples: 2 } };
    const first: string[] = [];
    const a = await mm1Runner({ ...base, sft: { steps: 2, imageSize: 32 } }, join(cacheDir, 'a'), signalFor(cacheDir, first));
    assert.ok(
      first.some((m) => /^pretraining 3 steps/.test(m)),
      first.join('\n'),
    );
    const second: string[] = [];
    const b = await mm1Runner({ ...base, sft: { steps: 2, imageSize: 64 } }, join(cacheDir, 'b'), signalFor(cacheDir, second));
    assert.ok(!second.some((m) => /^pretraining/.test(m)), 'the second run does not pretrain again');
    assert.match(second.join('\n'), /reusing the pretrained model in .*pretrain-[0-9a-f]{16}\/model/);
    assert.ok(Number.isFinite(a.extra?.finalLoss), `first run's final loss: ${a.extra?.finalLoss}`);
    assert.equal(b.extra?.finalLoss, a.extra?.finalLoss, 'the shared pretraining reports the same final loss');
    const third: string[] = [];
    const c = await mm1Runner({ ...base, seed: 1, sft: { steps: 2, imageSize: 32 } }, join(cacheDir, 'c'), signalFor(cacheDir, third));
    assert.ok(
      third.some((m) => /^pretraining 3 steps/.test(m)),
      'another seed is another pretraining',
    );
    // The training seed does not draw the evaluation items: both seeds are asked the same questions.
    const questions = (run: string) =>
      readFileSync(join(cacheDir, run, 'eval', 'image', 'samples', 'world-vqav2.0shot.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
    assert.deepEqual(questions('c'), questions('a'));
    for (const key of Object.keys(a.items!)) assert.deepEqual(Object.keys(c.items![key]['0']).sort(), Object.keys(a.items![key]['0']).sort(), key);
    assert.match(Object.keys(a.items!['vqa/accuracy']['0'])[0], /^0\//, 'item keys carry the eval seed');
    // Another eval seed asks other questions, and its item keys do not pair with seed 0's.
    const d = await mm1Runner(
      { ...base, seed: 1, eval: { ...base.eval, seed: 5 }, sft: { steps: 2, imageSize: 32 } },
      join(cacheDir, 'd'),
      signalFor(cacheDir),
    );
    assert.notDeepEqual(questions('d'), questions('a'));
    assert.ok(Object.keys(d.items!['vqa/accuracy']['0']).every((k) => k.startsWith('5/')));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('mm1Runner: runs with the same encoder and seed train the CLIP stage once; another seed or resolution trains its own', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mm1-runner-clip-'));
  try {
    const base = { ...MICRO, eval: { shots: [0], examplesPerTask: 1, textExamples: 1 } };
    const clipDirs = () =>
      readdirSync(cacheDir)
        .filter((d) => d.startsWith('clip-'))
        .sort();
    const first: string[] = [];
    await mm1Runner(base, join(cacheDir, 'a'), signalFor(cacheDir, first));
    assert.match(first[0], /CLIP stage 2: training /);
    const [shared] = clipDirs();
    const weights = join(cacheDir, shared, 'vision.safetensors');
    const written = statSync(weights).mtimeMs;
    // Another data mixture (as in the mixture study) with the same seed: same encoder, reused.
    const second: string[] = [];
    // Also without the text tasks (eval.textExamples 0, as the encoder and highres studies set it).
    const b = await mm1Runner(
      { ...base, data: { ...base.data, mixture: { interleaved: 1, caption: 0, text: 0 } }, eval: { ...base.eval, textExamples: 0 } },
      join(cacheDir, 'b'),
      signalFor(cacheDir, second),
    );
    assert.deepEqual(
      Object.keys(b.metrics).filter((k) => k.startsWith('text')),
      [],
    );
    assert.ok(b.metrics['vqa/accuracy'], 'image tasks still evaluated');
    assert.equal(second[0], first[0].replace('stage 2: training', 'stage 2: reusing'));
    assert.deepEqual(clipDirs(), [shared]);
    assert.equal(statSync(weights).mtimeMs, written, 'the shared weights are read, not trained again');
    // Another seed is another CLIP stage (so is another encoder: its config is in the stage's inputs).
    await mm1Runner({ ...base, seed: 1 }, join(cacheDir, 'c'), signalFor(cacheDir));
    assert.equal(clipDirs().length, 2);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
