// Every `mm1 …` example in README.md, docs/*.md and each command's --help parses as written
// (the command exists, every flag exists, every value is valid), points --model at a run's
// model/ folder, and the `mm1 generate` examples really run against a micro model with the
// images they name. The other commands are checked by parsing only, for the reason given in
// PARSE_ONLY (they train or evaluate for minutes, or wait for input).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { Command, CommanderError } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { commandsIn, markdownExamples } from '../helpers/doc_examples.js';
import { microModelDir } from '../helpers/micro_model.js';

const ROOT = resolve(import.meta.dirname, '../..');

const PARSE_ONLY: Record<string, string> = {
  quickstart: 'trains for ~5 minutes (test/train covers the job)',
  pretrain: 'trains for minutes (test/train/pretrain.test.ts and test/cli/resume_signals.test.ts run it)',
  sft: 'trains for minutes (test/train/pretrain.test.ts runs it)',
  eval: 'evaluates every world task for minutes (test/cli/eval.test.ts runs it)',
  chat: 'interactive: reads the terminal',
  serve: 'runs until stopped (test/serve/* start it in-process)',
  ablate: 'trains many runs (test/ablate covers the command)',
  data: 'renders or probes the whole world for minutes (test/data covers the world)',
  import: 'reads Hugging Face directories the user downloads (test/cli/hf_backbones.test.ts runs it on made ones)',
  export: 'needs a trained model: a static site or Hugging Face directories (test/web/export_web.test.ts and test/cli/hf_backbones.test.ts run it)',
};

/** A program whose actions record what they were given instead of running. */
function parsingProgram(): { program: Command; parsed: string[] } {
  const program = new Command('mm1');
  registerCommands(program);
  const parsed: string[] = [];
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (c !== program) c.action(() => void parsed.push(c.name()));
    c.commands.forEach(quiet);
  };
  quiet(program);
  return { program, parsed };
}

/** Each command's whole --help text (options and the text added after them). */
function helpTexts(): { name: string; text: string }[] {
  const { program } = parsingProgram();
  return [program, ...program.commands].map((c) => {
    let text = '';
    c.configureOutput({ writeOut: (s) => (text += s) });
    c.outputHelp();
    return { name: c === program ? 'mm1' : `mm1 ${c.name()}`, text };
  });
}

const examples = [...markdownExamples(ROOT), ...helpTexts().flatMap((h) => commandsIn(h.text, () => `${h.name} --help`))];

test('every command named in --help and in `mm1 …` code spans of the docs exists', () => {
  const { program } = parsingProgram();
  const commands = new Set(program.commands.map((c) => c.name()));
  const prose = new Set(['version']); // "…config, seed and mm1 version" in `mm1 ablate --help`
  const texts = [
    ...helpTexts(),
    ...[
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ].map((f) => ({ name: f, text: [...readFileSync(join(ROOT, f), 'utf8').matchAll(/`(mm1 [^`]*)`/g)].map((m) => m[1]).join('\n') })),
  ];
  const unknown = texts.flatMap(({ name, text }) =>
    [...text.matchAll(/\bmm1 ([a-z][a-z-]*)/g)].filter((m) => !commands.has(m[1]) && !prose.has(m[1])).map((m) => `${name}: mm1 ${m[1]}`),
  );
  assert.deepEqual(unknown, []);
});

test('the docs and --help hold examples of every user-facing command', () => {
  const commands = new Set(examples.map((e) => e.argv[0]));
  for (const c of ['quickstart', 'pretrain', 'sft', 'eval', 'generate', 'chat', 'serve', 'ablate']) assert.ok(commands.has(c), `no example of mm1 ${c}`);
});

/** Examples that show an error on a machine like this one: they must fail naming the fix. */
const SHOWN_FAILING: Record<string, string> = {
  'pretrain --device cuda': 'ONNXRUNTIME_NODE_INSTALL=cuda12', // docs/scale.md: the message without CUDA binaries
};

test('every example parses as written and names a model folder for --model', async () => {
  const problems: string[] = [];
  for (const ex of examples) {
    const { program, parsed } = parsingProgram();
    try {
      await program.parseAsync(ex.argv, { from: 'user' });
      if (parsed.length === 0) problems.push(`${ex.where}: mm1 ${ex.argv.join(' ')} ran no command`);
    } catch (err) {
      const help = err instanceof CommanderError && err.code === 'commander.helpDisplayed';
      const fix = SHOWN_FAILING[ex.argv.join(' ')];
      if (fix !== undefined && (err as Error).message.includes(fix)) continue;
      if (!help) problems.push(`${ex.where}: mm1 ${ex.argv.join(' ')}\n    ${(err as Error).message}`);
    }
    const model = ex.argv[ex.argv.indexOf('--model') + 1];
    if (ex.argv.includes('--model') && !model.endsWith('/model')) problems.push(`${ex.where}: --model ${model} is not a run's model/ folder`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('an example that names a missing command or flag is caught (the check can fail)', async () => {
  for (const argv of [
    ['train', '--out', 'runs/x'],
    ['generate', '--model', 'runs/tiny/model', '--prompt', 'x', '--temp', '1'],
  ]) {
    const { program } = parsingProgram();
    await assert.rejects(program.parseAsync(argv, { from: 'user' }), CommanderError);
  }
});

let dir: string;
const run = promisify(execFile);
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm1-docs-'));
  const model = await microModelDir(dir);
  for (const run of ['tiny', 'sft', 'quickstart']) {
    mkdirSync(join(dir, 'runs', run), { recursive: true });
    symlinkSync(model, join(dir, 'runs', run, 'model'));
  }
  for (const [i, name] of ['cat.png', 'bus.png', 'a.png', 'b.png', 'ex1.png', 'ex2.png', 'query.png'].entries()) {
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 30 * i, g: 200 - 20 * i, b: 90 } } })
      .png()
      .toFile(join(dir, name));
  }
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the mm1 generate examples run as written against a micro model', async () => {
  const runnable = examples.filter((e) => e.argv[0] === 'generate');
  assert.ok(runnable.length >= 3, `generate examples found: ${runnable.length}`);
  for (const ex of examples)
    if (ex.argv[0] !== 'generate') assert.ok(PARSE_ONLY[ex.argv[0]], `${ex.where}: mm1 ${ex.argv[0]} is neither run nor listed in PARSE_ONLY with a reason`);
  // One child process for all (the test runner's own stdout must not be written to).
  const argvs = runnable.map((ex) => [...ex.argv, '--max-tokens', '4', '--json']);
  const child = join(ROOT, 'test/cli/doc_examples_child.ts');
  const { stdout, stderr } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), child, JSON.stringify(argvs)], { cwd: dir }).catch(
    (err: { stdout: string; stderr: string }) => err,
  );
  const outputs = stdout.split(/\n@@end (\d)\n/);
  runnable.forEach((ex, i) => {
    const [out, status] = [outputs[2 * i], outputs[2 * i + 1]];
    assert.equal(status, '0', `${ex.where}: mm1 ${ex.argv.join(' ')} failed:\n${stderr}`);
    const gen = JSON.parse(out) as { text: string; promptTokens: number; finishReason: string };
    assert.ok(typeof gen.text === 'string' && gen.promptTokens > 0 && ['stop', 'length'].includes(gen.finishReason), `${ex.where}: ${out}`);
  });
});
