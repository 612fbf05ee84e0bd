// Stopping at step s and resuming from the checkpoint gives exactly the losses of an
// uninterrupted run: weights, optimiser state, step and data cursor all round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { initParams } from '../../src/engine/param_store.js';
import { TrainStep } from '../../src/engine/train_step.js';
import { Rng } from '../../src/engine/rng.js';
import { linear } from '../../src/nn/linear.js';
import { trainLoop, readLog, type FeedStream } from '../../src/train/loop.js';

function quadrantStream(seed: number): FeedStream {
  let rng = new Rng(seed);
  return {
    next() {
      const xs = new Float32Array(64),
        ys = new BigInt64Array(32);
      for (let i = 0; i < 32; i++) {
        const a = rng.normal(),
          b = rng.normal();
        xs[2 * i] = a;
        xs[2 * i + 1] = b;
        ys[i] = BigInt((a > 0 ? 1 : 0) + (b > 0 ? 2 : 0));
      }
      return { feeds: { x: { dtype: 'float32', shape: [32, 2], data: xs }, y: { dtype: 'int64', shape: [32], data: ys } }, tokens: 32 };
    },
    cursor: () => ({ rng: rng.state }),
    restore: (c) => (rng = new Rng((c as { rng: number }).rng)),
  };
}

async function makeStep() {
  const g = new Graph('mlp');
  const x = g.input('x', [32, 2]);
  const y = g.input('y', [32], 'int64');
  const loss = op.crossEntropy(linear(g, 'fc2', op.relu(linear(g, 'fc1', x, 16)), 4), y);
  return TrainStep.create(g, loss, initParams(g, 11), { optimizer: { kind: 'adamw' }, clipNorm: 1, threads: 1 });
}

test('resume after a stop reproduces the uninterrupted losses exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-resume-'));
  try {
    const schedule = { kind: 'cosine' as const, peak: 0.01, warmupSteps: 5, totalSteps: 30, minRatio: 0.1 };
    const common = { steps: 30, schedule, checkpointEvery: 100, config: { test: true }, quiet: true };
    const a = await makeStep();
    const full = await trainLoop(a, quadrantStream(3), { ...common, runDir: join(dir, 'full') });
    await a.release();

    const b = await makeStep();
    const first = await trainLoop(b, quadrantStream(3), { ...common, runDir: join(dir, 'split'), stopAfter: 12 });
    await b.release();
    assert.equal(first.records.length, 12);
    const c = await makeStep(); // fresh weights: everything must come from the checkpoint
    const second = await trainLoop(c, quadrantStream(999), { ...common, runDir: join(dir, 'split') });
    await c.release();
    assert.equal(second.resumedFrom, 12);
    assert.deepEqual(
      [...first.records, ...second.records].map((r) => r.loss),
      full.records.map((r) => r.loss),
    );
    assert.deepEqual(
      readLog(join(dir, 'split')).map((r) => r.loss),
      full.records.map((r) => r.loss),
    );
    assert.ok(full.records[29].loss < full.records[0].loss);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} mid-run: a checkpoint after the current step, then a resume with the uninterrupted losses`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm1-signal-'));
    try {
      const schedule = { kind: 'cosine' as const, peak: 0.01, warmupSteps: 2, totalSteps: 16, minRatio: 0.1 };
      const common = { steps: 16, schedule, checkpointEvery: 100, config: { test: true }, quiet: true };
      const a = await makeStep();
      const full = await trainLoop(a, quadrantStream(5), { ...common, runDir: join(dir, 'full') });
      await a.release();

      const b = await makeStep();
      const stream = quadrantStream(5);
      let served = 0;
      const signalling: FeedStream = {
        ...stream,
        next() {
          // The signal arrives while step 6 is being fed, as from `kill` or a supervisor.
          if (++served === 6) process.emit(signal, signal);
          return stream.next();
        },
      };
      const first = await trainLoop(b, signalling, { ...common, runDir: join(dir, 'split') });
      await b.release();
      assert.equal(first.stoppedBy, signal);
      assert.equal(first.records.length, 6, 'the step in progress finishes, then the loop stops');
      const c = await makeStep();
      const second = await trainLoop(c, quadrantStream(999), { ...common, runDir: join(dir, 'split') });
      await c.release();
      assert.equal(second.resumedFrom, 6);
      assert.equal(second.stoppedBy, null);
      assert.deepEqual(
        [...first.records, ...second.records].map((r) => r.loss),
        full.records.map((r) => r.loss),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
