// A study rerun from today's mm1 finds what the default-scale studies cached when they ran from
// c1c8b3d: the same run keys, and the same shared-stage directories (clip-<hash>, and the highres
// study's pretrain-<hash>) that the real runner asks for. The fixture lists, for every run of
// c1c8b3d's five studies at both scales and seeds 0-2, what that mm1 computed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { codeSalt, RunCache } from '../../src/ablate/cache.js';
import { planRuns } from '../../src/ablate/plan.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { SCALES } from '../../src/ablate/study.js';
import { mm1Runner } from '../../src/jobs/ablation_runner.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'ablate', 'c1c8b3d_runs.tsv');

/** Thrown by the stand-in signal once the runner has asked for its CLIP stage: nothing is trained. */
class Stop extends Error {}

/** The shared-stage directories the real runner asks for, in order, up to and including its CLIP stage. */
async function stagesAsked(config: Record<string, unknown>, salt: string, scratch: string): Promise<string[]> {
  const cache = new RunCache(join(scratch, 'cache'));
  const asked: string[] = [];
  try {
    await mm1Runner(structuredClone(config), join(scratch, 'run'), {
      log: () => {},
      sharedDir: (stage, inputs) => {
        asked.push(basename(cache.sharedDir(stage, inputs, salt)));
        if (stage === 'clip') throw new Stop();
        return join(scratch, 'no-such-stage');
      },
    });
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  return asked;
}

test("today's run keys and shared-stage directories are c1c8b3d's for every run of its studies", async () => {
  const rows = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  assert.equal(rows.length, 108, 'five studies × two scales × three seeds');
  const salt = codeSalt();
  assert.equal(salt, 'mm1@0.1.0/ablate-cache-v3', 'the salt the cached runs were made with');
  const scratch = mkdtempSync(join(tmpdir(), 'mm1-cache-compat-'));
  try {
    const today = [];
    for (const name of [...new Set(rows.map((r) => r[0]))])
      for (const scale of SCALES)
        for (const run of planRuns(findStudy(name), scale, 3, salt))
          today.push([name, scale, run.variant.id, String(run.seed), run.key, ...(await stagesAsked(run.config, salt, scratch))]);
    assert.deepEqual(today, rows);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // The seeds study's base run, as /work/runs/ablate/cache holds it (spelled out for a reader who greps for a key).
  assert.deepEqual(
    rows.filter((r) => r[0] === 'seeds' && r[1] === 'default').map((r) => r[4]),
    ['34ab0d5b059c1402', '4042cdc2e1efc2b4', '05ff0e2fcd637ecc'],
  );
});
