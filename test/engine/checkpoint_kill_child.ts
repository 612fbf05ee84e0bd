// Child process for checkpoint_kill.test.ts: writes checkpoints of ~MB megabytes forever,
// every tensor filled with the step number, until the test kills it with SIGKILL.
// Usage: node --import tsx checkpoint_kill_child.ts RUN_DIR new|replace MB
import { checkpointPath, latestCheckpoint, loadCheckpoint, pruneCheckpoints, saveCheckpoint } from '../../src/engine/checkpoint.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { tensor } from '../helpers/host.js';

const [runDir, mode, mb] = process.argv.slice(2);
const perTensor = Math.floor((Number(mb) * 1e6) / 4 / 4); // four float32 tensors
const model: Record<string, HostTensor> = {};
for (let i = 0; i < 4; i++) model[`layers.${i}.w`] = tensor('float32', [perTensor], new Float32Array(perTensor));
const optimizer = { 'adam.m.layers.0.w': tensor('float32', [1000], new Float32Array(1000)) };

// Resume after the newest checkpoint, as a restarted training run would.
const latest = latestCheckpoint(runDir, () => {});
let step = latest ? loadCheckpoint(latest).state.step + 1 : 1;
for (;;) {
  for (const t of [...Object.values(model), ...Object.values(optimizer)]) (t.data as Float32Array).fill(step);
  const started = performance.now();
  const dir = mode === 'replace' ? checkpointPath(runDir, 1) : checkpointPath(runDir, step);
  saveCheckpoint(dir, {
    model,
    optimizer,
    state: { step, config: { mode }, dataCursor: { next: step * 8 }, rng: { data: step }, metrics: { loss: 1 / step } },
  });
  if (mode === 'new') pruneCheckpoints(runDir, 2);
  process.stdout.write(`saved ${step} ${Math.round(performance.now() - started)}\n`);
  step++;
}
