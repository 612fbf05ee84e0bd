// AdamW against an oracle: two steps of mm1's graph optimizer compared with PyTorch's
// torch.optim.AdamW (values made once by test/fixtures/reference/make_adamw.py), plus a
// first step worked by hand. The problem has a rank-2 weight (decays), a bias and a norm
// weight (rank 1: must not decay) whose gradient is zero in one entry, so decaying every
// parameter, dropping the bias correction or moving ε all change the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph, type Tensor } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { ADAMW_DEFAULTS } from '../../src/engine/optim.js';
import { defaultGroup, TrainStep, type TrainStepOptions } from '../../src/engine/train_step.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import type { ParamValues } from '../../src/engine/param_store.js';
import { componentLrScale } from '../../src/model/build/components.js';
import { tinyConfig, standInTower } from '../model/fixtures.js';

interface AdamWFixture {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  lrs: number[];
  W0: number[][];
  C: number[][];
  b0: number[];
  d: number[];
  norm_w0: number[];
  e: number[];
  steps: Step[];
  clip_norm: number;
  clip_eps: number;
  clipped_steps: Step[];
}
interface Step {
  W: number[][];
  b: number[];
  norm_w: number[];
}

const fixture: AdamWFixture = JSON.parse(readFileSync(new URL('../fixtures/reference/adamw.json', import.meta.url), 'utf8'));

const host = (shape: number[], values: number[]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from(values) });

/** loss = 0.5·ΣW² + Σ C⊙W + Σ d⊙b + Σ e⊙norm.weight: gradients W + C, d and e. */
async function quadraticProblem(opts: Partial<TrainStepOptions> = {}): Promise<TrainStep> {
  const g = new Graph('adamw_oracle');
  const w = g.param('fc.weight', [2, 3]);
  const b = g.param('fc.bias', [3]);
  const n = g.param('norm.weight', [3]);
  const dot = (p: Tensor, c: number[], shape: number[]) => op.reduceSum(op.mul(p, g.constant(host(shape, c), 'coef')));
  const loss = op.add(
    op.add(op.mul(op.reduceSum(op.mul(w, w)), 0.5), dot(w, fixture.C.flat(), [2, 3])),
    op.add(dot(b, fixture.d, [3]), dot(n, fixture.e, [3])),
  );
  const params: ParamValues = new Map([
    ['fc.weight', host([2, 3], fixture.W0.flat())],
    ['fc.bias', host([3], fixture.b0)],
    ['norm.weight', host([3], fixture.norm_w0)],
  ]);
  const [beta1, beta2] = fixture.betas;
  return TrainStep.create(g, loss, params, {
    optimizer: { kind: 'adamw', beta1, beta2, eps: fixture.eps, weightDecay: fixture.weight_decay },
    threads: 1,
    ...opts,
  });
}

const values = (ts: TrainStep, name: string) => Array.from(ts.params.get(name)!.data as Float32Array);

function assertClose(actual: number[], expected: number[], what: string, tol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) =>
    assert.ok(
      Math.abs(a - expected[i]) <= tol,
      `${what}[${i}] = ${a}, PyTorch AdamW gives ${expected[i]} (|Δ| ${Math.abs(a - expected[i]).toExponential(2)} > ${tol})`,
    ),
  );
}

test('AdamW matches torch.optim.AdamW over two steps (decay on the weight only, bias correction, ε, a changed LR)', async () => {
  const ts = await quadraticProblem();
  for (let s = 0; s < fixture.lrs.length; s++) {
    await ts.run({}, fixture.lrs[s]);
    const ref = fixture.steps[s];
    assertClose(values(ts, 'fc.weight'), ref.W.flat(), `step ${s + 1} fc.weight`);
    assertClose(values(ts, 'fc.bias'), ref.b, `step ${s + 1} fc.bias`);
    assertClose(values(ts, 'norm.weight'), ref.norm_w, `step ${s + 1} norm.weight`);
  }
  await ts.release();
});

test('global-norm clipping then AdamW matches torch clip_grad_norm_ + AdamW (ε 0.5, so the gradient scale shows)', async () => {
  const [beta1, beta2] = fixture.betas;
  const ts = await quadraticProblem({
    optimizer: { kind: 'adamw', beta1, beta2, eps: fixture.clip_eps, weightDecay: fixture.weight_decay },
    clipNorm: fixture.clip_norm,
  });
  for (let s = 0; s < fixture.lrs.length; s++) {
    await ts.run({}, fixture.lrs[s]);
    const ref = fixture.clipped_steps[s];
    assertClose(values(ts, 'fc.weight'), ref.W.flat(), `clipped step ${s + 1} fc.weight`);
    assertClose(values(ts, 'fc.bias'), ref.b, `clipped step ${s + 1} fc.bias`);
    assertClose(values(ts, 'norm.weight'), ref.norm_w, `clipped step ${s + 1} norm.weight`);
  }
  await ts.release();
});

test('AdamW step 1 by hand: p − lr·wd·p − lr·g/(|g| + ε) on weights, no decay on bias or norm weight', async () => {
  // At t = 1 the bias corrections turn m̂ into g and √v̂ into |g|, so each entry moves by
  // lr·g/(|g| + ε) ≈ ±lr, plus decoupled decay on rank-2 weights only (lr 0.01, wd 0.1).
  const ts = await quadraticProblem();
  await ts.run({}, 0.01);
  // fc.weight[0] = 0.5, g = 0.5 + 0.25 = 0.75:  0.5 − 0.01·0.1·0.5 − 0.01 = 0.4895.
  // fc.weight[4] = 0,   g = 0 − 2 = −2:         0 − 0 + 0.01 = 0.01.
  assert.ok(Math.abs(values(ts, 'fc.weight')[0] - 0.4895) < 1e-6, `fc.weight[0] = ${values(ts, 'fc.weight')[0]}, expected 0.4895`);
  assert.ok(Math.abs(values(ts, 'fc.weight')[4] - 0.01) < 1e-6, `fc.weight[4] = ${values(ts, 'fc.weight')[4]}, expected 0.01`);
  // fc.bias = [1, −0.5, 0.25] with g = [0, 0.5, −2]: [1 (no gradient, no decay), −0.51, 0.26].
  assertClose(values(ts, 'fc.bias'), [1, -0.51, 0.26], 'fc.bias after step 1');
  // norm.weight = [1, 1.5, 0.5] with g = [0, −0.25, 1]: [1, 1.51, 0.49].
  assertClose(values(ts, 'norm.weight'), [1, 1.51, 0.49], 'norm.weight after step 1');
  await ts.release();
});

test("the decay rule: rank ≥ 2 tensors decay, biases and norm weights do not, in a model's real parameter list", () => {
  // The rule lives in defaultGroup (src/engine/train_step.ts); componentLrScale, which training
  // uses, must keep it while changing the LR scale.
  const cfg = tinyConfig();
  const g = new Graph('names');
  const pixels = g.input('pixels', [1, 3, cfg.vision.imageSize, cfg.vision.imageSize]);
  standInTower(cfg)(g, pixels);
  g.scope('llm', () => {
    const x = g.input('x', [1, 4, cfg.llm.width]);
    g.scope('norm', () => op.layerNorm(x, g.param('weight', [cfg.llm.width]), g.param('bias', [cfg.llm.width]), 1e-5));
  });
  const scaled = componentLrScale({ vision: 0.5 });
  const seen = { decay: 0, keep: 0 };
  for (const p of g.params) {
    const expectDecay = !/(\.bias|norm\.weight)$/.test(p.name);
    assert.equal(defaultGroup(p.name, p).decay, expectDecay, `${p.name} [${p.shape}]: decay should be ${expectDecay}`);
    assert.equal(scaled(p.name, p).decay, expectDecay, `componentLrScale changed the decay of ${p.name}`);
    seen[expectDecay ? 'decay' : 'keep']++;
  }
  assert.ok(seen.decay >= 2 && seen.keep >= 3, `the graph should hold weights and biases/norms, got ${JSON.stringify(seen)}`);
  assert.equal(
    scaled(
      'vision.patch.weight',
      g.params.find((p) => p.name === 'vision.patch.weight')!,
    ).lrScale,
    0.5,
  );
});

test('AdamW defaults live in one place: a step with no constants given equals one given ADAMW_DEFAULTS', async () => {
  // TrainStep computes the bias corrections from β1, β2 and the graph uses them again: if the
  // two read different defaults, the implicit run drifts from the explicit one.
  const implicit = await quadraticProblem({ optimizer: { kind: 'adamw' } });
  const explicit = await quadraticProblem({ optimizer: { kind: 'adamw', ...ADAMW_DEFAULTS } });
  for (const lr of fixture.lrs) {
    await implicit.run({}, lr);
    await explicit.run({}, lr);
  }
  for (const name of ['fc.weight', 'fc.bias', 'norm.weight']) assert.deepEqual(values(implicit, name), values(explicit, name), name);
  await implicit.release();
  await explicit.release();
});
