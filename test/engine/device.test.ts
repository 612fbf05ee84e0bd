// --device: which execution provider runs the graphs. cpu is the default; a device whose
// provider this onnxruntime-node lacks fails at start with what was found and how to install it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ensureDevice, executionProviders, resolveDevice } from '../../src/engine/device.js';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { mm1 } from '../helpers/cli.js';

test('the device comes from the flag, else the config file, else MM1_DEVICE, else cpu', () => {
  assert.equal(resolveDevice({ env: {} }), 'cpu');
  assert.equal(resolveDevice({ env: { MM1_DEVICE: 'dml' } }), 'dml');
  assert.equal(resolveDevice({ configFile: 'coreml', env: { MM1_DEVICE: 'dml' } }), 'coreml');
  assert.equal(resolveDevice({ flag: 'cuda', configFile: 'coreml', env: { MM1_DEVICE: 'dml' } }), 'cuda');
  assert.throws(() => resolveDevice({ env: { MM1_DEVICE: 'gpu' } }), /MM1_DEVICE: unknown device 'gpu'; expected one of cpu, cuda, dml, coreml/);
  assert.throws(() => resolveDevice({ configFile: 3, configPath: 'run.json' }), /run\.json: "device" must be a string/);
  assert.deepEqual(executionProviders('cpu'), ['cpu']);
  assert.deepEqual(executionProviders('cuda'), ['cuda', 'cpu'], 'nodes CUDA cannot run fall back to the CPU');
});

test('on cpu a session computes as before', async () => {
  const g = new Graph('twice');
  const x = g.input('x', [3]);
  const c = await CompiledGraph.create(g, [x], { y: op.add(x, x) }, { device: 'cpu' });
  const out = await c.run({ x: { dtype: 'float32', shape: [3], data: Float32Array.of(1, 2, 3) } });
  assert.deepEqual([...out.y.data], [2, 4, 6]);
  await c.release();
});

// Which providers exist depends on the machine; each check runs where its premise holds.
const cuda = ort.listSupportedBackends().find((b) => b.name === 'cuda');
const cudaAbsent =
  cuda !== undefined &&
  !cuda.bundled &&
  !existsSync(join(import.meta.dirname, '../../node_modules/onnxruntime-node/bin/napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));

test(
  'a CUDA provider that is not installed fails naming the device, what was found and the install command',
  { skip: cudaAbsent ? false : 'this onnxruntime-node has its CUDA provider installed (or none at all)' },
  async () => {
    await assert.rejects(ensureDevice('cuda'), (err: Error) => {
      assert.match(err.message, /^--device cuda: the CUDA execution provider could not start \(libonnxruntime_providers_cuda\.so is not installed\)/);
      assert.match(err.message, /has: cpu, .*cuda \(not installed\)/);
      assert.match(err.message, /ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
      return true;
    });
  },
);

test('DirectML outside Windows and CoreML outside macOS fail naming the platform they need', async () => {
  if (process.platform !== 'win32')
    await assert.rejects(ensureDevice('dml'), /--device dml: .*no such provider.*\n.*\nDirectML ships inside onnxruntime-node on Windows/);
  if (process.platform !== 'darwin')
    await assert.rejects(ensureDevice('coreml'), /--device coreml: .*no such provider.*\n.*\nCoreML ships inside onnxruntime-node on macOS/);
});

test(
  'mm1 pretrain and eval with --device cuda (flag or config file) stop before any work when CUDA is absent',
  { skip: cudaAbsent ? false : 'CUDA is installed here' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm1-device-'));
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({ device: 'cuda', train: { steps: 1 } }));
    const runs = await Promise.all([
      mm1(['pretrain', '--device', 'cuda', '--steps', '1', '--out', join(dir, 'flag')]),
      mm1(['pretrain', '--config', config, '--out', join(dir, 'file')]),
      mm1(['eval', '--device', 'cuda', '--model', join(dir, 'no-model')]),
    ]);
    for (const r of runs) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^mm1: --device cuda: the CUDA execution provider could not start/);
    }
    assert.ok(!existsSync(join(dir, 'flag')) && !existsSync(join(dir, 'file')), 'no run directory was written');
    const bad = await mm1(['pretrain', '--device', 'gpu', '--out', join(dir, 'bad')]);
    assert.match(bad.stderr, /option '--device <name>' argument 'gpu' is invalid\. Allowed choices are cpu, cuda, dml, coreml\./);
  },
);
