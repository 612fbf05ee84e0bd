// The tab's CLIP stage is built from train/clip_stage.ts, as mm1 pretrain's is: every encoder.*
// option reaches it. Before, the tab built its own stage and dropped clipPool, hard negatives
// and word captions, so a config with them trained another encoder in the tab than in Node.
// Run in Node (the tab's code needs no browser), one thread so both sides are bit-repeatable.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { clipStageSettings } from '../../src/train/clip_stage.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { tabModel, tabTrainingConfig, trainInTab } from '../../src/web/tab_training.js';

process.env.MM1_ORT_THREADS = '1'; // read when each session is made (engine/session.ts)
const root = mkdtempSync(join(tmpdir(), 'mm1-tab-clip-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the tab trains the CLIP stage a config describes, options included, with the losses of mm1 pretrain', async () => {
  const base = tabTrainingConfig(4, 3, 5);
  const config = parsePretrainConfig({
    ...base,
    encoder: { ...base.encoder, clipBatchSize: 8, clipPool: 'max', clipTextShare: 0.5, clipHardNegatives: 4, clipTextCaptions: 'word' },
    train: { ...base.train, batchSize: 2, seqLen: 128, maxImages: 2 },
  });
  const { tokenizer, model } = tabModel(config);
  const node = await clipPretrain({ ...clipStageSettings(config, model.vision, tokenizer), out: join(root, 'clip'), quiet: true, checkpointEvery: 0 });
  const tab = await trainInTab({ config, stopAfter: 3 });
  assert.equal(tab.clipLosses.length, 3);
  assert.deepEqual(tab.clipLosses, node.losses, 'same graph, data, initialisation and schedule: the same losses');

  // The options matter to the losses, so the equality above is not two defaults agreeing.
  const plain = parsePretrainConfig({ ...config, encoder: { ...config.encoder, clipPool: 'mean' } });
  const plainTab = await trainInTab({ config: plain, stopAfter: 3 });
  assert.notDeepEqual(plainTab.clipLosses, tab.clipLosses);
});

test('with a first part on word pairs (encoder.clipWordSteps) the tab trains both parts, with the losses of mm1 pretrain', async () => {
  const base = tabTrainingConfig(2, 3, 5);
  const config = parsePretrainConfig({
    ...base,
    encoder: { ...base.encoder, clipBatchSize: 8, clipPool: 'max', clipTextShare: 0.5, clipHardNegatives: 4, clipTextCaptions: 'word', clipWordSteps: 2 },
    train: { ...base.train, batchSize: 2, seqLen: 128, maxImages: 2 },
  });
  const { tokenizer, model } = tabModel(config);
  const node = await clipPretrain({ ...clipStageSettings(config, model.vision, tokenizer), out: join(root, 'clip-parts'), quiet: true, checkpointEvery: 0 });
  const tab = await trainInTab({ config, stopAfter: 5 });
  assert.equal(tab.clipLosses.length, 5, 'two steps of the first part, then three');
  assert.deepEqual(tab.clipLosses, node.losses);
});

test('the tab refuses CLIP options the stage cannot honour, naming the fix', async () => {
  const base = tabTrainingConfig(4, 2, 5);
  const config = parsePretrainConfig({ ...base, encoder: { ...base.encoder, clipTextCaptions: 'word', clipTextShare: 0 } });
  await assert.rejects(trainInTab({ config, stopAfter: 1 }), /encoder\.clipTextShare above 0/);
});
