// `--resume` takes the run's own settings from run.json: `mm1 pretrain --out R --resume` alone
// gives back exactly the config the run was started with (non-default flags and config file
// included), flags typed with it override only themselves, and ClaimedRunDir then names each
// one that differs from the run with both values. Real command definitions, actions recorded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { pretrainConfig, resumedPretrainConfig, resumedSftConfig, sftConfig, type PretrainFlags, type SftFlags } from '../../src/cli/commands/pretrain.js';
import { checkpointPath, saveCheckpoint } from '../../src/engine/checkpoint.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';

/** The flags `mm1 <args>` hands its action. */
async function parse<F>(args: string[]): Promise<{ flags: F }> {
  const program = new Command()
    .name('mm1')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerCommands(program);
  let got: { flags: F } | undefined;
  for (const cmd of program.commands) cmd.action((flags: F) => void (got = { flags }));
  await program.parseAsync(args, { from: 'user' });
  return got!;
}

/** A run directory started with `config`, holding a checkpoint (so a new claim needs --resume). */
function startedRun(dir: string, config: unknown): void {
  ClaimedRunDir.claim(dir, config, false);
  const w = { dtype: 'float32' as const, shape: [1], data: new Float32Array([0]) };
  saveCheckpoint(checkpointPath(dir, 1), { model: { w }, state: { step: 1, config, dataCursor: null, rng: {}, metrics: {} } });
}

test('pretrain --out R --resume alone continues a run started with non-default flags; typed flags must agree', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-resume-config-'));
  try {
    const run = join(dir, 'run');
    const start = await parse<PretrainFlags>([
      'pretrain',
      '--out',
      run,
      '--steps',
      '40',
      '--seed',
      '3',
      '--mixture',
      '50:50:0',
      '--lr',
      '0.004',
      '--freeze',
      'vision',
    ]);
    const started = pretrainConfig(start.flags);
    startedRun(run, started);

    const alone = await parse<PretrainFlags>(['pretrain', '--out', run, '--resume']);
    const resumed = resumedPretrainConfig(alone.flags, ClaimedRunDir.savedConfig(run));
    assert.deepEqual(resumed, started);
    assert.doesNotThrow(() => ClaimedRunDir.claim(run, resumed, true));
    assert.throws(
      () => ClaimedRunDir.claim(run, pretrainConfig(alone.flags), true),
      /settings differ/,
      'the old way (defaults for flags not typed) was refused',
    );

    const agreeing = await parse<PretrainFlags>(['pretrain', '--out', run, '--resume', '--seed', '3']);
    assert.deepEqual(resumedPretrainConfig(agreeing.flags, ClaimedRunDir.savedConfig(run)), started);

    const differing = await parse<PretrainFlags>(['pretrain', '--out', run, '--resume', '--seed', '4', '--mixture', '45:45:10']);
    const asked = resumedPretrainConfig(differing.flags, ClaimedRunDir.savedConfig(run));
    assert.throws(
      () => ClaimedRunDir.claim(run, asked, true),
      (err: Error) => {
        assert.match(err.message, /data\.mixture\.caption: the run has 50, this command gives 45/);
        assert.match(err.message, /data\.mixture\.interleaved: the run has 50, this command gives 45/);
        assert.match(err.message, /data\.mixture\.text: the run has 0, this command gives 10/);
        assert.match(err.message, /train\.seed: the run has 3, this command gives 4/);
        assert.doesNotMatch(err.message, /train\.steps|train\.lr/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sft --out R --resume alone: the run's own model, steps and sub-image grid", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-resume-config-'));
  try {
    const run = join(dir, 'sft');
    const start = await parse<SftFlags>(['sft', '--model', 'runs/q/model', '--out', run, '--steps', '500', '--sub-images', '2']);
    const started = sftConfig(start.flags);
    startedRun(run, started);
    const alone = await parse<SftFlags>(['sft', '--out', run, '--resume']);
    assert.deepEqual(resumedSftConfig(alone.flags, ClaimedRunDir.savedConfig(run)), started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
