// The pretraining job end to end on a micro model: the loss falls, a stopped run resumes
// with exactly the losses of an uninterrupted one (data stream included), and mistakes
// give clear errors without leaving a partial checkpoint behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePretrainConfig } from '../../src/train/config.js';
import { pretrain } from '../../src/train/pretrain.js';
import { sft, parseSftConfig } from '../../src/train/sft.js';
import { readModelDir } from '../../src/model/io/model_dir.js';

const micro = (steps: number) =>
  parsePretrainConfig({
    recipe: 'tiny',
    model: {
      vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
      llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: 128 },
    },
    train: { steps, batchSize: 4, seqLen: 96, maxImages: 3, lr: 3e-3, warmupSteps: 5, checkpointEvery: 1000 },
  });

test('pretrain: loss falls; stop + resume reproduces the uninterrupted losses; SFT continues from it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-pretrain-'));
  try {
    const full = await pretrain({ config: micro(24), out: join(dir, 'full'), quiet: true });
    const losses = full.records.map((r) => r.loss);
    assert.ok(losses[0] > 4.5, `first loss ${losses[0]} should be near ln(vocab)`);
    assert.ok(losses.slice(-4).reduce((a, b) => a + b) / 4 < losses[0] - 1, `loss should fall by > 1 nat: ${losses.map((l) => l.toFixed(2)).join(' ')}`);
    assert.ok(full.modelDir && existsSync(join(full.modelDir, 'model.safetensors')));

    const first = await pretrain({ config: micro(24), out: join(dir, 'split'), quiet: true, stopAfter: 10 });
    assert.equal(first.modelDir, null);
    await assert.rejects(pretrain({ config: micro(24), out: join(dir, 'split'), quiet: true }), /already holds a run with checkpoints; pass --resume/);
    await assert.rejects(pretrain({ config: micro(25), out: join(dir, 'split'), quiet: true, resume: true }), /settings differ/);
    const second = await pretrain({ config: micro(24), out: join(dir, 'split'), quiet: true, resume: true });
    assert.equal(second.resumedFrom, 10);
    assert.deepEqual(
      [...first.records, ...second.records].map((r) => r.loss),
      losses,
    );

    // Fine-tune at a higher resolution with 2×2 sub-images: the model loads, adapts and trains.
    const tuned = await sft({
      config: parseSftConfig({
        init: full.modelDir,
        imageSize: 48,
        subImageGrid: 2,
        train: { steps: 6, batchSize: 2, seqLen: 128, maxImages: 1, lr: 1e-3, checkpointEvery: 1000 },
      }),
      out: join(dir, 'sft'),
      quiet: true,
    });
    assert.ok(tuned.records.every((r) => Number.isFinite(r.loss)));
    const saved = await readModelDir(tuned.modelDir!);
    assert.equal(saved.config.vision.imageSize, 48);
    assert.equal(saved.config.subImageGrid, 2);
    assert.deepEqual(saved.weights.get('vision.position_embedding')!.shape, [36, 32]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad configs name the field; an unknown recipe lists the known ones; nothing is written', async () => {
  assert.throws(() => parsePretrainConfig({ recipe: 'tiny', train: { steps: -1, batchSize: 2, seqLen: 8, maxImages: 0, lr: 1 } }), /train\.steps/);
  assert.throws(
    () => parsePretrainConfig({ recipe: 'tiny', train: { steps: 1, batchSize: 2, seqLen: 8, maxImages: 0, lr: 1, freeze: ['eyes'] } }),
    /train\.freeze\[0\]/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'mm1-badrecipe-'));
  try {
    await assert.rejects(
      pretrain({ config: { ...micro(2), recipe: 'huge' }, out: join(dir, 'r'), quiet: true }),
      /unknown recipe 'huge'; choose one of: tiny, bench, small, mm1-3b/,
    );
    assert.ok(!existsSync(join(dir, 'r', 'checkpoints')) || readdirSync(join(dir, 'r', 'checkpoints')).length === 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
