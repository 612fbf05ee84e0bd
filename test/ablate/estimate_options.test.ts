// The cost model prices two options that change what a run computes without changing its steps:
// eval.highResLast (shorter few-shot prompts for a sub-image model) and vision.stemSkip (a wider
// encoder output, so a wider connector). Each would be ignored by an estimate that read neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_STAGE_SECONDS, connectorMacs, FIT, stageSeconds, totalSeconds } from '../../src/ablate/estimate.js';
import { mergeConfig, nested } from '../../src/ablate/config_paths.js';
import type { AblationRunConfig } from '../../src/ablate/runner.js';
import { findStudy } from '../../src/ablate/studies/index.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const variant = (study: string, id: string) =>
  findStudy(study)
    .variants('default')
    .find((v) => v.id === id)!.config;
const withKeys = (config: AblationRunConfig, dotted: Record<string, unknown>) => mergeConfig(config, nested(dotted));

test('eval.highResLast 1 prices the sub-image evaluation by the prompts it shows: the query as 5 crops, each shot as the overview', () => {
  const full = variant('highres', 'sub-images'); // every picture as 2×2 crops of 32 px + the overview, 16 tokens a crop
  const mixed = variant('highres-mixedres', 'sub-images'); // the same run with eval.highResLast 1
  const a = stageSeconds(full, 'default');
  const b = stageSeconds(mixed, 'default');
  assert.equal(b.sft, a.sft, 'fine-tuning is the same');
  assert.ok(b.evaluation < a.evaluation, `highResLast 1: ${b.evaluation} s, not below the full sets' ${a.evaluation} s`);
  // By hand, the prompts of 0, 4 and 8 shots (1, 5 and 9 pictures; 24 text tokens a picture):
  // a full set is 5 × 16 + 24 = 104 positions, an overview 16 + 24 = 40. Full sets: 104, 520, 936;
  // highResLast 1: 104, 104 + 4 × 40 = 264, 104 + 8 × 40 = 424. Crops encoded per picture: 5, or
  // (5 + 9 + 13) / 15 = 1.8; a 32 px crop is 0.25 of the base's 8 × 8 patch grid.
  const e = FIT.evalSeqExponent;
  const promptCost = (lengths: number[]) => lengths.reduce((s, l) => s + l ** e, 0);
  const encoder = (crops: number) => 1 + FIT.evalPatchShare * (0.25 * crops - 1);
  const expected = (encoder(1.8) * promptCost([104, 264, 424])) / (encoder(5) * promptCost([104, 520, 936]));
  // No text tasks in either study: the evaluation is its image part alone.
  near(b.evaluation / a.evaluation, expected, 'highResLast 1 / full sets');
  assert.ok(expected < 0.6, `the 8-shot prompt shrinks from 936 to 424 positions: ${expected}`);
});

test('eval.highResLast: N past the longest prompt changes nothing, 0 is the overview alone, a one-crop model ignores it', () => {
  const full = variant('highres', 'sub-images');
  const cost = (config: AblationRunConfig) => stageSeconds(config, 'default').evaluation;
  near(cost(withKeys(full, { 'eval.highResLast': 9 })), cost(full), 'highResLast 9 at 8 shots (9 pictures)');
  // Every picture the overview alone: a 32 px picture of 16 tokens, which is what the base variant shows.
  near(cost(withKeys(full, { 'eval.highResLast': 0 })), cost(variant('highres', 'base')), 'highResLast 0 vs the base variant');
  const interpolate = variant('highres', 'interpolate');
  near(cost(withKeys(interpolate, { 'eval.highResLast': 1 })), cost(interpolate), 'interpolate (one crop a picture)');
});

test('the connector multiply-adds, by hand for the base C-Abstractor (64 patches, 16 tokens, LLM width 128)', () => {
  const cabs = { kind: 'cabstractor', tokens: 16, depth: 1 };
  // in = hidden = 64: RegStage on 64 positions 64·(64·64 + 9·64 + 64·64) = 561,152; pooling 16·64·64 =
  // 65,536; RegStage on 16 positions 140,288; readout 16·(64·128 + 128·128) = 393,216.
  assert.equal(connectorMacs(cabs, 64, 64, 128), 1_160_192);
  // in 128 (stemSkip), hidden following it: 64·(128·128 + 9·128 + 128·128) + 16·64·128 + 16·33,920 + 16·(128·128 + 128·128).
  assert.equal(connectorMacs(cabs, 64, 128, 128), 2_170_880 + 131_072 + 542_720 + 524_288);
  // in 128, hidden held at 64: the first block's 1×1 convolution and its shortcut read 128 channels, the rest is as at 64.
  assert.equal(connectorMacs({ ...cabs, hidden: 64 }, 64, 128, 128), 64 * (128 * 64 + 9 * 64 + 64 * 64 + 128 * 64) + 65_536 + 140_288 + 393_216);
  // The other kinds: average pooling + Linear C→D, one Linear per folded token, an MLP per patch.
  assert.equal(connectorMacs({ kind: 'avgpool', tokens: 16, depth: 1 }, 64, 64, 128), 16 * 64 * 64 + 16 * 64 * 128);
  assert.equal(connectorMacs({ kind: 'pixelshuffle', tokens: 16, depth: 1 }, 64, 64, 128), 16 * (4 * 64) * 128);
  assert.equal(connectorMacs({ kind: 'mlp', tokens: 64, depth: 1 }, 64, 64, 128), 64 * (64 * 128 + 128 * 128));
});

test('vision.stemSkip: the connector reads 2C channels, so every stage it runs in costs more, the CLIP stage the same', () => {
  const conv = withKeys(variant('seeds', 'base'), { 'model.vision.stem': 'conv' });
  const skip = withKeys(conv, { 'model.vision.stemSkip': 'concat' });
  const a = stageSeconds(conv, 'default');
  const b = stageSeconds(skip, 'default');
  // The CLIP head's wider input measured no dearer (session 14 A/B: 0.85, pairs 0.79–1.10): left unpriced.
  assert.equal(b.clip, a.clip);
  // Pretraining: 1,000 steps, the ONNX part of each (1 − data share) grown by the connector's share
  // times its extra multiply-adds over the base connector's (both by hand above).
  const extra = (3_368_960 - 1_160_192) / 1_160_192;
  near(b.pretrain - a.pretrain, 1000 * BASE_STAGE_SECONDS.pretrainStep * (1 - FIT.pretrainData) * FIT.connectorShare * extra, 'pretraining');
  assert.ok(b.evaluation > a.evaluation, `evaluation: ${b.evaluation} not above ${a.evaluation}`);
  assert.ok(totalSeconds(b) > totalSeconds(a));
  // A hidden width held at the encoder's (connector.hidden 64) widens only the first 1×1 convolutions: dearer than none, cheaper than the default.
  const held = stageSeconds(withKeys(skip, { 'model.connector.hidden': 64 }), 'default');
  assert.ok(held.pretrain > a.pretrain && held.pretrain < b.pretrain, `hidden 64: ${held.pretrain} not between ${a.pretrain} and ${b.pretrain}`);
  // Fine-tuning runs the connector too: a sub-image fine-tuning of a stemSkip model costs more.
  const sub = variant('highres', 'sub-images');
  const subSkip = withKeys(sub, { 'model.vision.stem': 'conv', 'model.vision.stemSkip': 'concat' });
  assert.ok(stageSeconds(subSkip, 'default').sft > stageSeconds(withKeys(sub, { 'model.vision.stem': 'conv' }), 'default').sft);
});
