// Numeric flags of every command are parsed by commander at the option: a bad value fails
// before any action runs, with a message naming the flag, the value and what is expected, and
// a good one reaches the action typed. Runs the real command definitions in-process with every
// action replaced by a recorder, so nothing trains or loads a model even if a parser let a
// bad value through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { evalConfig } from '../../src/cli/commands/eval.js';
import { pretrainConfig, sftConfig } from '../../src/cli/commands/pretrain.js';
import { QUICKSTART_STEPS, QUICKSTART_TUNING } from '../../src/train/presets.js';

/** Parses `mm1 <args>` and returns the options the leaf command's action would receive. */
async function parse(args: string[]): Promise<Record<string, unknown>> {
  const program = new Command()
    .name('mm1')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerCommands(program);
  let received: Record<string, unknown> | undefined;
  const record = (cmd: Command): void => {
    if (cmd.commands.length > 0) cmd.commands.forEach(record);
    else cmd.action(() => void (received = cmd.opts()));
  };
  record(program);
  await program.parseAsync(['node', 'mm1', ...args]);
  assert.ok(received, `mm1 ${args.join(' ')} reached no action`);
  return received;
}

const BAD: [args: string[], flag: string, value: string, expected: RegExp][] = [
  [['pretrain', '--steps', '0'], '--steps', '0', /Expected a whole number ≥ 1\./],
  [['pretrain', '--seq-len', '4'], '--seq-len', '4', /Expected a whole number ≥ 8\./],
  [['pretrain', '--lr', 'abc'], '--lr', 'abc', /Expected a number > 0\./],
  [['pretrain', '--lr', '0'], '--lr', '0', /Expected a number > 0\./],
  [['pretrain', '--seed', '1.5'], '--seed', '1.5', /Expected a whole number ≥ 0\./],
  [['pretrain', '--synthetic-captions', '2'], '--synthetic-captions', '2', /Expected a number in \[0, 1\]\./],
  [['pretrain', '--mixture', '45:45'], '--mixture', '45:45', /Expected interleaved:caption:text weights ≥ 0, e\.g\. 45:45:10\./],
  [['pretrain', '--stop-after', '0'], '--stop-after', '0', /Expected a whole number ≥ 1\./],
  [['sft', '--model', 'm', '--lr', 'abc'], '--lr', 'abc', /Expected a number > 0\./],
  [['sft', '--model', 'm', '--sub-images', '-1'], '--sub-images', '-1', /Expected a whole number ≥ 0\./],
  [['sft', '--model', 'm', '--image-size', '4'], '--image-size', '4', /Expected a whole number ≥ 8\./],
  [['quickstart', '--steps', '-3'], '--steps', '-3', /Expected a whole number ≥ 1\./],
  [['quickstart', '--seed', ''], '--seed', '', /Expected a whole number ≥ 0\./],
  [['quickstart', '--clip-lr', '0'], '--clip-lr', '0', /Expected a number > 0\./],
  [['quickstart', '--batch-size', '0'], '--batch-size', '0', /Expected a whole number ≥ 1\./],
  [['quickstart', '--shots', '0,four'], '--shots', '0,four', /Expected a comma-separated list of whole numbers ≥ 0, e\.g\. 0,4; 'four' is not one\./],
  [['eval', '--model', 'm', '--shots', ','], '--shots', ',', /Expected a comma-separated list of whole numbers ≥ 0, e\.g\. 0,4\./],
  [['eval', '--model', 'm', '--limit', '0'], '--limit', '0', /Expected a whole number ≥ 1\./],
  [['eval', '--model', 'm', '--batch-size', 'many'], '--batch-size', 'many', /Expected a whole number ≥ 1\./],
  [['data', 'preview', '--count', '0'], '--count', '0', /Expected a whole number ≥ 1\./],
  [['ablate', 'encoder', '--seeds', '0'], '--seeds', '0', /Expected a whole number ≥ 1\./],
  [['serve', '--model', 'm', '--port', 'http'], '--port', 'http', /Expected a whole number ≥ 0\./],
  [['generate', '--model', 'm', '--max-tokens', '0'], '--max-tokens', '0', /Expected a whole number ≥ 1\./],
  [['chat', '--model', 'm', '--temperature', '3'], '--temperature', '3', /Expected a number in \[0, 2\]\./],
];

test('a bad numeric value fails at parse time, naming the flag, the value and what is expected', async () => {
  for (const [args, flag, value, expected] of BAD) {
    await assert.rejects(parse(args), (e: unknown) => {
      assert.ok(e instanceof CommanderError, `mm1 ${args.join(' ')}: ${String(e)}`);
      assert.equal(e.code, 'commander.invalidArgument');
      assert.match(e.message, new RegExp(`^error: option '${flag} <[^>]+>' argument '${value}' is invalid\\. `), `mm1 ${args.join(' ')}`);
      assert.match(e.message, expected, `mm1 ${args.join(' ')}`);
      return true;
    });
  }
});

test('numeric flags reach the action typed, defaults included', async () => {
  assert.deepEqual(await parse(['quickstart']), {
    out: 'runs/quickstart',
    steps: QUICKSTART_STEPS.pretrain,
    clipSteps: QUICKSTART_STEPS.clip,
    lr: QUICKSTART_TUNING.lr,
    batchSize: QUICKSTART_TUNING.batchSize,
    clipLr: QUICKSTART_TUNING.clipLr,
    evalLimit: 100,
    shots: [0, 4],
    seed: 0,
  });
  assert.deepEqual(await parse(['quickstart', '--steps', '12', '--shots', '0, 8,', '--seed', '0', '--lr', '6e-3', '--eval-seed', '0']), {
    out: 'runs/quickstart',
    steps: 12,
    clipSteps: QUICKSTART_STEPS.clip,
    lr: 0.006,
    batchSize: QUICKSTART_TUNING.batchSize,
    clipLr: QUICKSTART_TUNING.clipLr,
    evalLimit: 100,
    shots: [0, 8],
    seed: 0,
    evalSeed: 0,
  });
  // Flags that a --config file may set have no commander default (so they cannot hide the
  // file's value); their defaults come from the config schema.
  const ev = evalConfig(await parse(['eval', '--model', 'm', '--limit', '5']));
  assert.deepEqual([ev.shots, ev.limit, ev.seed, ev.batchSize], [[0, 4, 8], 5, 0, 16]);
  const preFlags = await parse(['pretrain', '--lr', '3e-3', '--max-images', '0']);
  assert.deepEqual([preFlags.lr, preFlags.maxImages, preFlags.steps, preFlags.mixture], [0.003, 0, undefined, undefined]);
  const pre = pretrainConfig(preFlags);
  assert.deepEqual(
    [pre.train.lr, pre.train.maxImages, pre.train.steps, pre.data.mixture],
    [0.003, 0, 600, { interleaved: 45, caption: 45, text: 10, syntheticCaptionShare: 0 }],
  );
  assert.deepEqual(await parse(['data', 'preview']), { seed: 0, out: 'world-preview', count: 4, worldVersion: '2' });
});

test('pretrain / sft: flags given override the --config file, flags not given leave it alone (0 included)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-cli-flags-'));
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify({ recipe: 'tiny', encoder: { clipSteps: 3 }, train: { steps: 7, lr: 0.01, seed: 5, warmupSteps: 4, maxImages: 2 } }));
  const pre = pretrainConfig(await parse(['pretrain', '--config', file, '--steps', '9', '--seed', '0']));
  assert.deepEqual([pre.train.steps, pre.train.seed], [9, 0], 'given flags win, 0 too');
  assert.deepEqual([pre.train.lr, pre.train.warmupSteps, pre.train.maxImages, pre.encoder.clipSteps], [0.01, 4, 2, 3], 'the file keeps the rest');
  const pre0 = pretrainConfig(await parse(['pretrain', '--config', file, '--clip-steps', '0', '--max-images', '0']));
  assert.deepEqual([pre0.encoder.clipSteps, pre0.train.maxImages, pre0.train.steps], [0, 0, 7]);

  const sftFile = join(dir, 'sft.json');
  writeFileSync(sftFile, JSON.stringify({ imageSize: 64, subImageGrid: 2, train: { steps: 11, lr: 0.02 } }));
  const s = sftConfig(await parse(['sft', '--model', 'm', '--config', sftFile, '--lr', '0.5']));
  assert.deepEqual([s.train.lr, s.train.steps, s.imageSize, s.subImageGrid, s.train.batchSize], [0.5, 11, 64, 2, 16]);
  const s2 = sftConfig(await parse(['sft', '--model', 'm', '--config', sftFile, '--image-size', '32']));
  assert.equal(s2.imageSize, 32);
});

test('--help shows the parsed defaults as typed', async () => {
  const program = new Command().name('mm1').exitOverride();
  let help = '';
  program.configureOutput({ writeOut: (s) => void (help += s) });
  registerCommands(program);
  await assert.rejects(program.parseAsync(['node', 'mm1', 'quickstart', '--help']), { code: 'commander.helpDisplayed' });
  assert.match(help, /--shots <list> +few-shot settings to evaluate \(default: 0,4\)/);
  assert.match(help, new RegExp(`--steps <n> +multimodal pretraining steps .*\\(default: ${QUICKSTART_STEPS.pretrain}\\)`, 's'));
});
