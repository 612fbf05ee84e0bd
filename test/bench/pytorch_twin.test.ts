// The eager-PyTorch side of `npm run bench`: which Python it uses, and that its hand-written twin
// of the bench recipe has exactly mm1's parameters (skipped, saying why, when no Python has torch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTorchPython, pythonCandidates } from '../../bench/python.js';
import { twinConfig, twinParams } from '../../bench/pytorch.js';
import { countModelParams, recipeModel } from '../../src/model/build/recipes.js';

test('Pythons are tried as MM1_PYTHON, python3, /usr/bin/python3, each once', () => {
  assert.deepEqual(pythonCandidates({ MM1_PYTHON: '/opt/py/bin/python' }), ['/opt/py/bin/python', 'python3', '/usr/bin/python3']);
  assert.deepEqual(pythonCandidates({}), ['python3', '/usr/bin/python3']);
  assert.deepEqual(pythonCandidates({ MM1_PYTHON: '/usr/bin/python3' }), ['/usr/bin/python3', 'python3']);
});

test('a Python that cannot start is passed over, and the reason names every candidate tried', () => {
  const r = findTorchPython(['/nonexistent/python3', '/nonexistent/other']);
  assert.ok('why' in r);
  assert.match(r.why, /\/nonexistent\/python3: could not be started; \/nonexistent\/other: could not be started/);
  assert.match(r.why, /MM1_PYTHON/);
});

const torch = findTorchPython();
test(
  "the PyTorch twin builds exactly the bench recipe's parameters, component by component",
  { skip: 'why' in torch ? torch.why : false, timeout: 300_000 },
  () => {
    const python = (torch as { python: string }).python;
    const mm1 = countModelParams(recipeModel('bench'));
    assert.deepEqual(twinParams(python).params, mm1);
    assert.equal(mm1.total, 6_140_544); // README's "6.1M params"
  },
);

test('the twin refuses a model feature it does not build, naming the key', { skip: 'why' in torch ? torch.why : false, timeout: 300_000 }, () => {
  const cfg = JSON.parse(twinConfig()) as { model: { vision: Record<string, unknown> } };
  cfg.model.vision.classToken = true;
  assert.throws(() => twinParams((torch as { python: string }).python, JSON.stringify(cfg)), /vision\.classToken = true is not built by this twin/);
});
