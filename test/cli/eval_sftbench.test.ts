// `mm1 eval` reaches MM1-Chat's SFT benchmarks: --help lists them with their data formats,
// and the mm1-chat group asks for every benchmark's files before any model loads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function mm1(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('mm1 eval --help lists the SFT benchmarks, their --data formats and the mm1-chat group', async () => {
  const r = await mm1('eval', '--help');
  assert.equal(r.code, 0);
  for (const name of ['scienceqa-img', 'mmmu', 'mathvista', 'mme', 'mmbench', 'seed-bench', 'pope-adversarial', 'llava-bench', 'mm-vet']) {
    assert.match(r.stdout, new RegExp(`\\n  ${name} +sft-bench `));
  }
  assert.match(r.stdout, /--data mmbench=MMBENCH\.tsv/);
  assert.match(r.stdout, /\n {2}mm1-chat +scienceqa-img, mmmu, /);
});

test('mm1 eval --tasks mm1-chat without files names the first missing --data before loading a model', async () => {
  const r = await mm1('eval', '--model', 'nowhere', '--tasks', 'mm1-chat', '--shots', '0', '--data', 'scienceqa-img=problems.json:sqa/');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /task mmmu reads local files: pass --data mmmu=MMMU_DIR \(e\.g\. --data mmmu=MMMU\/\)/);
  assert.doesNotMatch(r.stderr, /nowhere/, 'no model was loaded');
});
