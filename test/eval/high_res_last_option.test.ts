// `mm1 eval --high-res-last N` / config key highResLast (MM1's mixed-resolution few-shot prompts,
// model/infer/mixed_resolution.ts): absent by default, the flag wins over the file, bad values are
// refused naming the value or the field before any model loads, and --help says what it does.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { evalConfig, register } from '../../src/cli/commands/eval.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-high-res-last-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (value: object): string => {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

/** The real `mm1 eval` definition, erroring instead of exiting and printing nothing. */
function evalCommand(): Command {
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  register(program);
  const cmd = program.commands.find((c) => c.name() === 'eval')!;
  cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  return program;
}

test('highResLast: absent by default, read from the file, the flag wins; a bad value in the file is refused naming the field', () => {
  const cases: [fileValue: unknown, flag: number | undefined, expected: number | undefined][] = [
    [undefined, undefined, undefined],
    [1, undefined, 1],
    [1, 0, 0],
    [undefined, 3, 3],
  ];
  for (const [fileValue, flag, expected] of cases)
    assert.equal(
      evalConfig({ config: file({ model: 'm', highResLast: fileValue }), highResLast: flag }).highResLast,
      expected,
      `file ${fileValue}, flag ${flag}`,
    );
  for (const bad of [-1, 1.5, '1']) assert.throws(() => evalConfig({ config: file({ model: 'm', highResLast: bad }) }), /highResLast/);
});

test('--high-res-last: a bad value fails at parse naming it; --help says the default and that it leaves models without sub-images alone', async () => {
  for (const bad of ['-1', '1.5', 'last'])
    await assert.rejects(evalCommand().parseAsync(['node', 'mm1', 'eval', '--model', 'nowhere', '--high-res-last', bad]), (e: Error) => {
      assert.match(e.message, new RegExp(`--high-res-last <n>' argument '${bad.replace('.', '\\.')}' is invalid\\. Expected a whole number ≥ 0`));
      return true;
    });
  const help = evalCommand()
    .commands.find((c) => c.name() === 'eval')!
    .helpInformation()
    .replace(/\s+/g, ' ');
  assert.match(help, /--high-res-last <n>.*only the last N pictures of each prompt get the overview \+ g² crops/);
  assert.match(help, /Default: every picture all its crops\. No effect on a model without sub-images/);
});
