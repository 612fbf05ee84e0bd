// mm1's C-Abstractor and attention pooling against the published implementations: Honeybee's
// CAbstractor on timm 0.9.8's RegStage (kakaobrain/honeybee @ 68a8d843, honeybee/projectors/
// projectors.py) and Qwen-VL's Resampler on torch.nn.MultiheadAttention. The outputs were
// computed once in PyTorch by test/fixtures/reference/make_connectors.py, which names the
// reference files and commits and the differences mm1 keeps on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../../src/engine/graph.js';
import { CompiledGraph } from '../../src/engine/session.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { ConnectorConfigSchema } from '../../src/model/build/config.js';
import { connect } from '../../src/model/build/connectors/index.js';

interface Stored {
  shape: number[];
  data: number[];
}
interface ReferenceCase {
  name: string;
  config: unknown;
  grid: number;
  channels: number;
  llmWidth: number;
  input: Stored;
  params: Record<string, Stored>;
  output: Stored;
}

const fixture: { reference: string; cases: ReferenceCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/reference/connectors.json', import.meta.url), 'utf8'),
);
const host = (s: Stored): HostTensor => ({ dtype: 'float32', shape: s.shape, data: Float32Array.from(s.data) });

/** Outputs agree to 1e-5 (float32 here, float64 in the reference); the mismatch names where. */
const TOLERANCE = 1e-5;

for (const kind of ['cabstractor', 'attnpool']) {
  test(`${kind} gives the reference implementation's output (PyTorch, weights loaded by name)`, async () => {
    const c = fixture.cases.find((k) => (k.config as { kind: string }).kind === kind);
    assert.ok(c, `connectors.json has no ${kind} case: rerun test/fixtures/reference/make_connectors.py`);
    const cfg = ConnectorConfigSchema.parse(c.config);
    const g = new Graph(`reference_${kind}`);
    const feats = g.input('feats', c.input.shape);
    const out = connect(g, cfg, feats, c.grid, c.llmWidth);
    // Same parameters, same shapes: a missing or extra block (say, no squeeze-excitation)
    // or a width computed differently (SE width rounds like Python) shows here by name.
    const ours = Object.fromEntries(g.params.map((p) => [p.name, p.shape.join('×')]));
    const theirs = Object.fromEntries(Object.entries(c.params).map(([n, t]) => [n, t.shape.join('×')]));
    assert.deepEqual(ours, theirs, `${c.name}: mm1's parameters (left) differ from the reference's (right)`);
    const run = await CompiledGraph.create(g, [feats, ...g.params], { out }, { threads: 1 });
    const feeds: Record<string, HostTensor> = { feats: host(c.input) };
    for (const [name, t] of Object.entries(c.params)) feeds[name] = host(t);
    const y = (await run.run(feeds)).out;
    await run.release();
    assert.deepEqual(y.shape, c.output.shape);
    const got = y.data as Float32Array;
    let worst = 0,
      at = 0;
    c.output.data.forEach((v, i) => {
      const d = Math.abs(got[i] - v);
      if (d > worst) [worst, at] = [d, i];
    });
    assert.ok(worst <= TOLERANCE, `${c.name}: output[${at}] = ${got[at]}, reference ${c.output.data[at]} (max |Δ| ${worst.toExponential(2)} > ${TOLERANCE})`);
  });
}
