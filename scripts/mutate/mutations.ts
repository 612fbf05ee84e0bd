// Hand-written one-line bugs, each placed where a user would be hurt if it slipped through,
// and the tests that should catch it. `find` must occur exactly once in `file`; when the
// code moves, the run reports the entry as stale instead of counting it.

export interface Mutation {
  id: string;
  /** What a user would suffer from this bug. */
  harm: string;
  file: string;
  find: string;
  replace: string;
  /** Test files or folders (every *.test.ts inside) that should fail with the bug in place. */
  tests: string[];
}

/** The serve tests that exercise request limits (the load, slow-client, worker and browser tests are slow and time-sensitive). */
const SERVE_LIMIT_TESTS = ['validation', 'openai_client'].map((f) => `test/serve/${f}.test.ts`);

export const MUTATIONS: Mutation[] = [
  // ---- the four from issue #19
  {
    // OWNER: protocol (src/ablate/verdict.ts); re-anchor `find` on the "not reproduced" branch
    // when the rule changes. The bug: refute a claim when Δ's estimate is below 0, whatever its interval.
    id: 'verdict-any-negative',
    harm: 'an interval that merely reaches below 0 reads "not reproduced" (the rule wants it wholly below 0)',
    file: 'src/ablate/verdict.ts',
    find: "if (ci.hi < 0) return 'not reproduced';",
    replace: "if (ci.lo < 0) return 'not reproduced';",
    tests: ['test/ablate/verdict.test.ts', 'test/ablate/claims.test.ts'],
  },
  {
    id: 'adamw-decay-everything',
    harm: 'weight decay shrinks biases and norm weights too',
    file: 'src/engine/train_step.ts',
    find: 'decay: p.rank >= 2,',
    replace: 'decay: true,',
    tests: ['test/engine/adamw_oracle.test.ts', 'test/engine/train_small.test.ts'],
  },
  {
    id: 'cabstractor-no-se',
    harm: "the C-Abstractor skips Honeybee's squeeze-excitation",
    file: 'src/model/build/connectors/regstage.ts',
    find: "y = squeezeExcite(g, 'se', y, Math.max(1, pyRound(0.25 * cin)));",
    replace: '',
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  {
    id: 'serve-no-image-cap',
    harm: 'a request with more images than the model takes reaches the model',
    file: 'src/serve/conversation.ts',
    find: 'if (imageParts.length > limits.maxImages) {',
    replace: 'if (false) {',
    tests: SERVE_LIMIT_TESTS,
  },
  {
    id: 'se-gate-ignored',
    harm: 'squeeze-excitation keeps its weights but no longer gates the channels',
    file: 'src/model/build/connectors/regstage.ts',
    find: "return op.mul(x, op.sigmoid(linear(g, 'fc2', hidden, c, { std: convStd(reduced) })));",
    replace: "return op.add(x, op.mul(op.sigmoid(linear(g, 'fc2', hidden, c, { std: convStd(reduced) })), 0));",
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  // ---- optimizer
  {
    id: 'adamw-no-bias-correction',
    harm: 'the first steps are ~10× too small (β1) and the scale is off (β2)',
    file: 'src/engine/train_step.ts',
    find: 'bias_correction1: scalar(1 - b1 ** t)',
    replace: 'bias_correction1: scalar(1)',
    tests: ['test/engine/adamw_oracle.test.ts', 'test/engine/train_small.test.ts'],
  },
  {
    id: 'clip-never',
    harm: 'gradient clipping never clips',
    file: 'src/engine/optim.ts',
    find: 'op.div(maxNorm, op.maximum(norm, maxNorm))',
    replace: 'op.div(maxNorm, op.maximum(norm, maxNorm * 1e6))',
    tests: ['test/engine/adamw_oracle.test.ts', 'test/engine/train_small.test.ts'],
  },
  // ---- connectors
  {
    id: 'regstage-ln-eps',
    harm: "RegStage norms use LayerNorm2d's eps, not the 1e-5 timm actually runs (the bug the reference test found)",
    file: 'src/model/build/connectors/regstage.ts',
    find: 'const LN2D_EPS = 1e-5;',
    replace: 'const LN2D_EPS = 1e-6;',
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  {
    id: 'regstage-no-final-act',
    harm: 'the bottleneck leaves out its last SiLU',
    file: 'src/model/build/connectors/regstage.ts',
    find: 'return op.silu(op.add(y, shortcut));',
    replace: 'return op.add(y, shortcut);',
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  {
    id: 'attnpool-no-query-norm',
    harm: 'attention pooling skips the LayerNorm on its queries',
    file: 'src/model/build/connectors/attnpool.ts',
    find: "layerNorm(g, 'ln_q', queries",
    replace: '((q: unknown) => q)(queries',
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  {
    id: 'adaptive-pool-windows',
    harm: "adaptive pooling drops the last row/column of each window (PyTorch's windows overlap)",
    file: 'src/model/build/connectors/grid.ts',
    find: 'const end = (i: number) => Math.ceil(((i + 1) * grid) / out);',
    replace: 'const end = (i: number) => Math.floor(((i + 1) * grid) / out);',
    tests: ['test/model/connectors.test.ts', 'test/model/connector_reference.test.ts'],
  },
  // ---- training, evaluation and ablation outputs
  {
    id: 'attention-no-scale',
    harm: 'attention logits are not divided by √d',
    file: 'src/nn/attention.ts',
    find: '1 / Math.sqrt(hd))',
    replace: '1)',
    tests: ['test/model/hf_clip.test.ts', 'test/model/hf_llama.test.ts'],
  },
  {
    id: 'vqa-accuracy-two-annotators',
    harm: 'VQA accuracy gives full credit when two annotators agree instead of three',
    file: 'src/eval/metrics/vqa_accuracy.ts',
    find: 'return Math.min(1, matches / 3);',
    replace: 'return Math.min(1, matches / 2);',
    tests: ['test/eval/vqa-metrics.test.ts'],
  },
  {
    id: 'runner-swaps-vqa-gqa',
    harm: "ablation metrics label the VQAv2 task's score as GQA",
    file: 'src/jobs/ablation_runner.ts',
    find: "{ task: 'world-vqav2', metric: 'vqa', kind: 'image' },",
    replace: "{ task: 'world-vqav2', metric: 'gqa', kind: 'image' },",
    tests: ['test/jobs/ablation_runner.test.ts'],
  },
  {
    id: 'quickstart-always-retrains',
    harm: 'a second quickstart trains again instead of reusing the finished model',
    file: 'src/jobs/quickstart.ts',
    find: "return JSON.stringify(saved.run) === JSON.stringify(config) ? join(out, 'model') : null;",
    replace: 'return null;',
    tests: ['test/train/clip_quickstart.test.ts'],
  },
  {
    id: 'serve-token-cap',
    harm: 'a request may ask for more tokens than mm1 serve --max-tokens allows',
    file: 'src/serve/completion_request.ts',
    find: 'if (asked !== undefined && asked > policy.maxTokens) {',
    replace: 'if (false) {',
    tests: SERVE_LIMIT_TESTS,
  },
  {
    id: 'serve-no-503',
    harm: 'a full queue keeps accepting requests instead of answering 503',
    file: 'src/serve/server.ts',
    find: 'if (queue.depth >= maxWaiting) {',
    replace: 'if (false) {',
    tests: SERVE_LIMIT_TESTS,
  },
];
