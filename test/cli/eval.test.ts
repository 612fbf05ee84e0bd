// `mm1 eval` as a user runs it: flag mistakes fail fast (before the model loads) with
// messages that list what exists, and --help documents tasks and data formats.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What the model loader prints for `--model nowhere` (a folder without config.json). */
const LOADER_ERROR = /nowhere: no config\.json/;

function mm1(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('mm1 eval: unknown task, bad shots, missing --data all fail before loading the model', async () => {
  const [unknown, shots, noData, badSpec] = await Promise.all([
    mm1('eval', '--model', 'nowhere', '--tasks', 'world-coco,cocoa'),
    mm1('eval', '--model', 'nowhere', '--shots', '0,four'),
    mm1('eval', '--model', 'nowhere', '--tasks', 'vqav2'),
    mm1('eval', '--model', 'nowhere', '--tasks', 'coco', '--data', 'coco'),
  ]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /mm1: unknown task "cocoa"\. Known tasks: world-coco, .*, webqs\. Groups: world, /);
  assert.match(shots.stderr, /option '--shots <list>' argument '0,four' is invalid\. .*'four' is not one/);
  assert.match(noData.stderr, /task vqav2 reads local files: pass --data vqav2=QUESTIONS\.json:ANNOTATIONS\.json:IMAGE_DIR/);
  assert.match(badSpec.stderr, /--data coco: expected NAME=SPEC/);
  for (const r of [shots, noData, badSpec]) assert.notEqual(r.code, 0);
  // Had the model loader run, it would have named the missing folder (see the last test).
  for (const r of [unknown, shots, noData, badSpec]) assert.doesNotMatch(r.stderr, LOADER_ERROR, 'no model was loaded');
});

test('mm1 eval --help lists every task with its data format', async () => {
  const r = await mm1('eval', '--help');
  assert.equal(r.code, 0);
  for (const name of ['world-coco', 'world-heldout-vqa', 'world-openqa', 'coco', 'nocaps', 'okvqa', 'gqa', 'arc', 'winogrande', 'webqs']) {
    assert.match(r.stdout, new RegExp(`\\n  ${name} `));
  }
  assert.match(r.stdout, /--data vqav2=QUESTIONS\.json:ANNOTATIONS\.json:IMAGE_DIR/);
  assert.match(r.stdout, /--shots <list>/);
});

test('mm1 eval with valid flags reaches the model loader', async () => {
  const r = await mm1('eval', '--model', 'nowhere', '--tasks', 'world-coco', '--shots', '0');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, LOADER_ERROR, 'the loader names the folder it could not load');
});
