// `mm1 pretrain` on your own shards, through the command's own config path (flags over a
// --config file): WebDataset captions, OBELICS parquet and text JSON Lines with broken
// records in each. The loss falls, every broken record is listed in skipped.jsonl with its
// file and offset, a stopped and resumed run gives the uninterrupted losses bit for bit,
// and config mistakes are named before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pretrainConfig, type PretrainFlags } from '../../src/cli/commands/pretrain.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { pretrain } from '../../src/train/pretrain.js';
import { SKIP_LOG } from '../../src/train/skip_log.js';
import { writeShardSet } from '../helpers/data_shards.js';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { fileClipPairs } from '../../src/train/file_clip_data.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { modelPreprocess } from '../../src/data/subimage.js';
import { tempDir } from '../data/fixtures.js';

const MICRO_MODEL = {
  vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
  llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: 128 },
};
const TRAIN = { steps: 16, batchSize: 4, seqLen: 96, maxImages: 3, lr: 3e-3, warmupSteps: 2, checkpointEvery: 1000 };

async function setup() {
  const dir = tempDir('pretrain-files');
  const set = await writeShardSet({ dir, shards: 2, perShard: 8, brokenEvery: 8, size: [40, 28] });
  // The config file names a caption path the flag replaces: flags win over the file.
  const file = join(dir, 'run.json');
  // One record in 8 is broken: over the default limit (5%) on this small set, so the file allows 20%.
  writeFileSync(
    file,
    JSON.stringify({
      recipe: 'tiny',
      model: MICRO_MODEL,
      data: { source: 'files', files: { caption: { format: 'webdataset', path: 'nowhere/*.tar' } }, maxSkipRate: 0.2 },
      train: TRAIN,
    }),
  );
  const flags: PretrainFlags = {
    config: file,
    webdataset: set.webdataset,
    obelicsParquet: set.obelicsParquet,
    imageRoot: dir,
    textJsonl: set.text,
    quiet: true,
  };
  return { dir, set, flags };
}

const skipLines = (run: string) =>
  readFileSync(join(run, SKIP_LOG), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

test('pretrain on files: loss falls, broken records listed, stop + resume gives the uninterrupted losses bit for bit', async () => {
  const { dir, set, flags } = await setup();
  try {
    const config = pretrainConfig(flags);
    assert.equal(config.data.files?.caption?.path, set.webdataset, "the flag replaced the config file's path");
    assert.deepEqual(config.data.mixture, { interleaved: 45, caption: 45, text: 10, syntheticCaptionShare: 0 });

    const full = await pretrain({ config, out: join(dir, 'full'), quiet: true });
    const losses = full.records.map((r) => r.loss);
    assert.ok(losses.slice(-4).reduce((a, b) => a + b) / 4 < losses[0] - 1, `loss should fall by > 1 nat: ${losses.map((l) => l.toFixed(2)).join(' ')}`);
    const skipped = skipLines(join(dir, 'full'));
    assert.ok(skipped.length >= 3, `each source meets a broken record: ${skipped.length}`);
    for (const s of skipped) {
      assert.equal(s.offset % 8, s.source === 'text' ? 0 : 7, `the planted record (every 8th) is the one skipped: ${JSON.stringify(s)}`);
      assert.ok(s.shard.startsWith(dir) && s.reason.length > 0);
    }
    assert.deepEqual(new Set(skipped.map((s) => s.source)), new Set(['caption', 'interleaved', 'text']));

    const first = await pretrain({ config, out: join(dir, 'split'), quiet: true, stopAfter: 7 });
    assert.equal(first.modelDir, null);
    const second = await pretrain({ config, out: join(dir, 'split'), quiet: true, resume: true });
    assert.equal(second.resumedFrom, 7);
    assert.deepEqual(
      [...first.records, ...second.records].map((r) => r.loss),
      losses,
    );
    assert.deepEqual(skipLines(join(dir, 'split')), skipped, 'the resumed run lists each broken record once, in the same order');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pretrain on files: config mistakes are named with the fix before any work', () => {
  const base = { recipe: 'tiny', train: TRAIN };
  const caption = { format: 'webdataset', path: 'x/*.tar' };
  assert.throws(
    () => parsePretrainConfig({ ...base, data: { source: 'files', files: { caption: { format: 'webdataset', paht: 'x' } } } }),
    /data\.files\.caption\.paht: unknown key; did you mean data\.files\.caption\.path\?/,
  );
  assert.throws(() => parsePretrainConfig({ ...base, data: { source: 'files', flies: {} } }), /data\.flies: unknown key; did you mean data\.files\?/);
  assert.throws(
    () => parsePretrainConfig({ ...base, data: { source: 'files', files: { caption: { format: 'tar', path: 'x' } } } }),
    /data\.files\.caption\.format/,
  );
  assert.throws(
    () => parsePretrainConfig({ ...base, data: { source: 'files', files: { caption } } }),
    /data\.mixture\.interleaved is 45 but data\.files\.interleaved names no files\. Fix: add data\.files\.interleaved = .* or set its weight to 0 \(e\.g\. --mixture 0:100:0 for captions only\)/,
  );
  assert.ok(parsePretrainConfig({ ...base, data: { source: 'files', files: { caption }, mixture: { interleaved: 0, caption: 1, text: 0 } } }));
  assert.throws(
    () => parsePretrainConfig({ ...base, data: { files: { caption } } }),
    /data\.files names files but data\.source is "world"\. Fix: set data\.source to "files"/,
  );
  const textOnly = { source: 'files', files: { text: { format: 'text-jsonl', path: 'x/*.jsonl' } }, mixture: { interleaved: 0, caption: 0, text: 1 } };
  assert.throws(
    () => parsePretrainConfig({ ...base, data: textOnly, encoder: { clipSteps: 10 } }),
    /encoder\.clipSteps is 10: the CLIP stage on files trains on image–caption pairs from data\.files\.caption, which names no shards\. Fix: add data\.files\.caption/,
  );
  assert.throws(
    () =>
      parsePretrainConfig({
        ...base,
        data: { source: 'files', files: { caption }, mixture: { interleaved: 0, caption: 1, text: 0 } },
        encoder: { clipSteps: 10, clipTextShare: 0.2 },
      }),
    /encoder\.clipTextShare is 0\.2, but its text-bearing scenes exist only in the world/,
  );
  assert.throws(
    () =>
      parsePretrainConfig({
        ...base,
        data: { source: 'files', files: { caption }, mixture: { interleaved: 0, caption: 1, text: 0 } },
        encoder: { clipSteps: 10, clipHardNegatives: 4 },
      }),
    /encoder\.clipHardNegatives is 4, but its scenes redrawn with other words exist only in the world/,
  );
  assert.throws(
    () =>
      parsePretrainConfig({
        ...base,
        data: { source: 'files', files: { caption }, mixture: { interleaved: 0, caption: 1, text: 0 } },
        encoder: { clipSteps: 10, clipTextCaptions: 'word' },
      }),
    /encoder\.clipTextCaptions is 'word', but it recaptions the world's text-bearing scenes.*Fix: leave it out/,
  );
  assert.throws(
    () =>
      parsePretrainConfig({
        ...base,
        data: { source: 'files', files: { caption }, mixture: { interleaved: 0, caption: 1, text: 0 } },
        encoder: { clipSteps: 10, clipWordSteps: 5 },
      }),
    /encoder\.clipWordSteps is 5, but its first part draws the world's text-bearing scenes.*Fix: leave it out/,
  );
});

test('pretrain on files: a skip rate over --max-skip-rate stops the run naming the source, the rate and the fix', async () => {
  const { dir, set, flags } = await setup();
  try {
    const config = pretrainConfig({ config: flags.config, webdataset: set.webdataset, mixture: { interleaved: 0, caption: 1, text: 0 }, maxSkipRate: 0.01 });
    await assert.rejects(
      pretrain({ config, out: join(dir, 'strict'), quiet: true }),
      (e: Error) =>
        /source 'caption': 3 of 2\d records were broken and skipped \(1\d\.\d%, over the limit of 1\.0%\)\. Last: .*wds\/000\d\.tar sample '000\d\/000007' \(tar entry 14\): Cannot decode image/.test(
          e.message,
        ) && /Fix: repair or remove the broken records/.test(e.message),
    );
    assert.equal(skipLines(join(dir, 'strict')).length, 3, 'the records skipped before the stop are listed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLIP stage on files: a fresh encoder trains contrastively on the caption shards (retrieval above chance), broken records listed; pretraining starts from it', async () => {
  const { dir, flags } = await setup();
  try {
    const config = pretrainConfig({ ...flags, clipSteps: 30 });
    const e = { ...config.encoder, clipBatchSize: 8, clipLr: 3e-3 };
    const tokenizer = worldTokenizer(config.data.version);
    const model = resolveModelConfig(config, tokenizer.vocabSize, {});
    const out = join(dir, 'clip-alone');
    const pairs = fileClipPairs({ data: config.data, tokenizer, image: modelPreprocess(model), out, quiet: true });
    const clip = await clipPretrain({
      vision: model.vision,
      tokenizer,
      steps: e.clipSteps,
      batchSize: 8,
      lr: e.clipLr,
      seed: 0,
      renderSize: 64,
      out,
      quiet: true,
      pairs,
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(clip.losses.slice(-5)) < mean(clip.losses.slice(0, 5)) - 0.2, `contrastive loss falls: ${clip.losses.map((l) => l.toFixed(2)).join(' ')}`);
    assert.ok(clip.accuracy > 2 / 8, `in-batch retrieval ${clip.accuracy} beats chance (1/8) clearly: the captions name the colours`);
    const skipped = skipLines(out);
    assert.ok(
      skipped.length >= 2 && skipped.every((s) => s.source === 'caption' && s.offset % 8 === 7 && /Cannot decode image/.test(s.reason)),
      JSON.stringify(skipped),
    );

    // Through pretrain: the stage runs first, on the files, and keeps its weights in <out>/clip.
    const run = join(dir, 'with-clip');
    const r = await pretrain({ config: { ...config, encoder: { ...e, clipSteps: 4 }, train: { ...config.train, steps: 2 } }, out: run, quiet: true });
    assert.equal(r.records.length, 2);
    assert.match(readFileSync(join(run, 'clip', 'settings.json'), 'utf8'), /"pairs":"files:[0-9a-f]{16}:seed0"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
