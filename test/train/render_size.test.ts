// data.renderSize "encoder": the world's pictures drawn at the encoder's own side. It resolves
// to pixels when the config is read (so run.json, resume and evaluation see a number), follows
// model overrides, is `mm1 pretrain`'s default, and leaves configs built without it (the
// ablation studies') at 128 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { baseConfig } from '../../src/ablate/studies/base.js';
import { registerCommands } from '../../src/cli/commands/index.js';
import { pretrainConfig, resumedPretrainConfig, type PretrainFlags } from '../../src/cli/commands/pretrain.js';
import { pretrainConfig as ablationRunConfig } from '../../src/jobs/ablation_runner.js';
import { getRecipe } from '../../src/model/build/recipes.js';
import { parsePretrainConfig } from '../../src/train/config.js';

const train = { ...getRecipe('tiny').train, steps: 10 };

test('data.renderSize "encoder" becomes the encoder side of the recipe under its overrides', () => {
  assert.equal(getRecipe('tiny').model.vision.imageSize, 48);
  assert.equal(parsePretrainConfig({ recipe: 'tiny', data: { renderSize: 'encoder' }, train }).data.renderSize, 48);
  const at64 = parsePretrainConfig({ recipe: 'tiny', model: { vision: { imageSize: 64 } }, data: { renderSize: 'encoder' }, train });
  assert.equal(at64.data.renderSize, 64);
  assert.equal(parsePretrainConfig({ recipe: 'tiny', data: { renderSize: 96 }, train }).data.renderSize, 96);
  assert.equal(parsePretrainConfig({ recipe: 'tiny', train }).data.renderSize, 128, 'a parsed config without it keeps 128 px');
});

test('data.renderSize "encoder" with a Hugging Face tower is refused, naming the field and the fix', () => {
  assert.throws(
    () => parsePretrainConfig({ recipe: 'tiny', model: { vision: { hf: '/nonexistent/clip' } }, data: { renderSize: 'encoder' }, train }),
    /data\.renderSize "encoder".*model\.vision\.hf.*Give data\.renderSize in pixels/s,
  );
  assert.throws(() => parsePretrainConfig({ recipe: 'tiny', data: { renderSize: 'native' }, train }), /renderSize/);
});

test("mm1 pretrain draws at the encoder's side by default; --render-size and the config file override it; HF towers keep 128", () => {
  assert.equal(pretrainConfig({}).data.renderSize, 48);
  assert.equal(pretrainConfig({ recipe: 'small' }).data.renderSize, getRecipe('small').model.vision.imageSize);
  assert.equal(pretrainConfig({ renderSize: 128 }).data.renderSize, 128);
  assert.equal(pretrainConfig({ vision: '/nonexistent/clip' }).data.renderSize, 128);
  // --resume reads the saved number back unchanged
  const saved = pretrainConfig({ renderSize: 'encoder' });
  assert.equal(resumedPretrainConfig({}, JSON.parse(JSON.stringify(saved))).data.renderSize, 48);
});

test('--render-size takes pixels or "encoder" and refuses anything else by name', async () => {
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerCommands(program);
  let got: PretrainFlags | undefined;
  for (const cmd of program.commands) cmd.action((f: PretrainFlags) => void (got = f));
  await program.parseAsync(['pretrain', '--render-size', 'encoder'], { from: 'user' });
  assert.equal(got?.renderSize, 'encoder');
  await program.parseAsync(['pretrain', '--render-size', '64'], { from: 'user' });
  assert.equal(got?.renderSize, 64);
  await assert.rejects(program.parseAsync(['pretrain', '--render-size', '4'], { from: 'user' }), /--render-size.*'4' is invalid/);
});

test('the ablation studies, which build their configs without `mm1 pretrain`, still draw at 128 px', () => {
  assert.equal(ablationRunConfig(baseConfig('default'), 0).data.renderSize, 128);
});
