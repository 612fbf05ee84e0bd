// One worker of the concurrent shared-stage test (run_lock.test.ts): runs planned run <index> of
// the connector study (smoke, seed 0) on <cache>, with a stand-in runner whose CLIP stage is
// shared with every other run and is made the way clipPretrain makes it: trained unless its
// settings.json is there, then vision.safetensors, a pause, and settings.json last. Each
// training appends a line to <stage>/trainings, so the test can count them, and waits for the
// test to create <stage>/go (once the other worker is waiting), so the order does not hang on load.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeSalt, RunCache } from '../../src/ablate/cache.js';
import { planRuns } from '../../src/ablate/plan.js';
import { runOne } from '../../src/ablate/run_one.js';
import { runToDo } from '../../src/ablate/run_study.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { syntheticRunner } from './synthetic_runner.js';

const [cacheDir, index] = process.argv.slice(2);
const study = findStudy('connector');
const salt = codeSalt('concurrent-stage-test');
const run = planRuns(study, 'smoke', 1, salt)[Number(index)];
const synthetic = syntheticRunner();
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const outcome = await runOne(
  runToDo(study, 'smoke', run, salt),
  new RunCache(cacheDir),
  async (config, runDir, signal) => {
    const stage = signal.sharedDir('clip', { seed: 0 });
    if (!existsSync(join(stage, 'settings.json'))) {
      appendFileSync(join(stage, 'trainings'), `${process.pid}\n`);
      while (!existsSync(join(stage, 'go'))) pause(20);
      writeFileSync(join(stage, 'vision.safetensors'), 'weights');
      pause(600); // the text tower's write: a worker let in now would find no settings.json
      writeFileSync(join(stage, 'settings.json'), '{}');
    }
    return synthetic(config, runDir, signal);
  },
  (msg) => process.stdout.write(`${msg}\n`),
  50,
);
process.stdout.write(`${outcome.status}\n`);
