// The real ablation runner at micro size: trains, evaluates and reports metrics in the keys
// and units the claims read; a second call resumes from the finished run instead of training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mm1Runner } from '../../src/ablate/mm1_runner.js';

test('mm1Runner: CLIP stage + pretraining + world evaluation -> <task>/<measure> by shots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-runner-'));
  try {
    const config = {
      seed: 0,
      model: { vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 }, llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96 } },
      encoder: { clipSteps: 2 },
      train: { steps: 3 },
      eval: { shots: [0, 1], examplesPerTask: 2, textExamples: 2 },
    };
    const logs: string[] = [];
    const r = await mm1Runner(config, dir, { log: (m) => logs.push(m) });
    assert.deepEqual(Object.keys(r.metrics).sort(), ['caption/cider', 'gqa/accuracy', 'reading/accuracy', 'text-cloze/acc', 'text-mc/acc', 'vqa/accuracy']);
    for (const [key, byShots] of Object.entries(r.metrics)) {
      assert.deepEqual(Object.keys(byShots).sort(), ['0', '1'], key);
      for (const v of Object.values(byShots)) assert.ok(v >= 0 && (key.startsWith('caption') || v <= 100), `${key} = ${v}`);
    }
    assert.match(logs[0], /pretraining 3 steps \(CLIP stage 2\)/);
    const t0 = Date.now();
    await mm1Runner(config, dir, { log: () => {} });
    assert.ok(Date.now() - t0 < 20000, 'the second call reuses the trained model');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
