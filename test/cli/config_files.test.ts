// Config files are strict: a misspelt key, at any depth, or a top level that is not an object
// stops the command before any work starts (no run directory, no CLIP stage, no model load),
// naming the key and the nearest valid one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mm1 } from '../helpers/cli.js';

test('pretrain, sft and eval refuse unknown keys and non-object config files before any work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-config-files-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const stepsTypo = file('steps.json', '{"train": {"stpes": 10}}');
  const topTypo = file('top.json', '{"recipe": "tiny", "trian": {"steps": 10}}');
  const modelTypo = file('model.json', '{"model": {"vision": {"imagSize": 64}}, "encoder": {"clipSteps": 5}}');
  const array = file('array.json', '[{"train": {"steps": 10}}]');
  const evalTypo = file('eval.json', '{"tasks": ["world-coco"], "shotz": [0]}');
  const out = join(dir, 'run');
  const cases: [string[], RegExp][] = [
    [['pretrain', '--config', stepsTypo, '--out', out], /train\.stpes: unknown key; did you mean train\.steps\?/],
    [['pretrain', '--config', topTypo, '--out', out], /\n {2}trian: unknown key; did you mean train\?/],
    [['pretrain', '--config', modelTypo, '--out', out], /model\.vision\.imagSize: unknown key; did you mean model\.vision\.imageSize\?/],
    [['pretrain', '--config', array, '--out', out], /--config .*array\.json: expected a JSON object .* got a JSON array/],
    [['sft', '--model', join(dir, 'no-model'), '--config', stepsTypo, '--out', out], /train\.stpes: unknown key; did you mean train\.steps\?/],
    [['sft', '--model', join(dir, 'no-model'), '--config', array, '--out', out], /got a JSON array/],
    [['eval', '--model', join(dir, 'no-model'), '--config', evalTypo, '--out', out], /shotz: unknown key; did you mean shots\?/],
    [['eval', '--model', join(dir, 'no-model'), '--config', array, '--out', out], /got a JSON array/],
  ];
  const results = await Promise.all(cases.map(([args]) => mm1(args)));
  results.forEach((r, i) => {
    const what = cases[i][0].slice(0, 3).join(' ');
    assert.notEqual(r.code, 0, `${what} should fail`);
    assert.match(r.stderr, cases[i][1], `${what}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /no-model/, `${what}: refused before looking for the model`);
  });
  assert.ok(!existsSync(out), 'no run directory was written');
});
