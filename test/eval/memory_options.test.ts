// `mm1 eval --keep-graphs` and `--prefill-mb`: their defaults, the flags win over the
// config file, and values out of range are refused naming the field before any model loads.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evalConfig } from '../../src/cli/commands/eval.js';
import { DEFAULT_KEEP_GRAPHS } from '../../src/model/infer/step_runner.js';
import { DEFAULT_PREFILL_MB } from '../../src/model/infer/row_chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-keep-graphs-'));
const configFile = (value: unknown): string => {
  const path = join(dir, `${Object.keys(value as object).join('-')}-${JSON.stringify(value).length}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

test('keepGraphs: default DEFAULT_KEEP_GRAPHS, the flag wins over the file', () => {
  assert.equal(evalConfig({ model: 'runs/a/model' }).keepGraphs, DEFAULT_KEEP_GRAPHS);
  const config = configFile({ model: 'runs/a/model', keepGraphs: 4 });
  assert.equal(evalConfig({ config }).keepGraphs, 4);
  assert.equal(evalConfig({ config, keepGraphs: 2 }).keepGraphs, 2);
});

test('keepGraphs below 1 or fractional in the config file is refused, naming the field', () => {
  for (const bad of [0, -1, 1.5]) assert.throws(() => evalConfig({ config: configFile({ model: 'm', keepGraphs: bad }) }), /keepGraphs/);
});

test('prefillMb: default DEFAULT_PREFILL_MB, the flag wins, a value ≤ 0 in the file is refused naming the field', () => {
  assert.equal(evalConfig({ model: 'runs/a/model' }).prefillMb, DEFAULT_PREFILL_MB);
  const config = configFile({ model: 'runs/a/model', prefillMb: 16 });
  assert.equal(evalConfig({ config }).prefillMb, 16);
  assert.equal(evalConfig({ config, prefillMb: 8 }).prefillMb, 8);
  for (const bad of [0, -4]) assert.throws(() => evalConfig({ config: configFile({ model: 'm', prefillMb: bad }) }), /prefillMb/);
});
