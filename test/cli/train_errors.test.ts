// Mistakes at the command line end with one clear message and a non-zero exit, before any
// checkpoint is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mm1 } from '../helpers/cli.js';

test('pretrain / sft / eval refuse bad input with a message naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-cli-train-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"recipe": "tiny", "train": {"steps": "many"}}');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"recipe": ');
  const out = join(dir, 'run');
  const cases: [string[], RegExp][] = [
    [['pretrain', '--config', bad, '--out', out], /train\.steps: expected number, received string/],
    [['pretrain', '--config', broken, '--out', out], /--config .*broken\.json: not valid JSON/],
    [['pretrain', '--config', join(dir, 'nope.json'), '--out', out], /--config .*nope\.json: file not found/],
    [['pretrain', '--recipe', 'huge', '--out', out], /unknown recipe 'huge'; choose one of: tiny, bench, small, mm1-3b/],
    [['pretrain', '--mixture', '45:45', '--out', out], /option '--mixture <i:c:t>' argument '45:45' is invalid\. Expected interleaved:caption:text weights/],
    [['pretrain', '--steps', '0', '--out', out], /option '--steps <n>' argument '0' is invalid\. Expected a whole number ≥ 1\.\n\(run with --help for usage\)/],
    [['sft', '--model', join(dir, 'no-model'), '--out', out], /no-model: no config.json/],
    [['eval', '--model', join(dir, 'no-model'), '--tasks', 'world-cocoa'], /world-cocoa/],
  ];
  const results = await Promise.all(cases.map(([args]) => mm1(args)));
  results.forEach((r, i) => {
    assert.notEqual(r.code, 0, `${cases[i][0].join(' ')} should fail`);
    assert.match(r.stderr, cases[i][1], `${cases[i][0].join(' ')}: ${r.stderr}`);
  });
  assert.ok(!existsSync(join(out, 'checkpoints')), 'no checkpoint is left behind');
});
