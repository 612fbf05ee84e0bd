// World evaluation draws its pictures at the side the model was trained on (a model trained
// on pictures rendered at the encoder's side must not be tested on 128 px renders shrunk by
// bicubic: other pixels), unless the caller asks for a side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Segment } from '../../src/data/document.js';
import { runEval } from '../../src/eval/runner.js';
import type { Prompt } from '../../src/model/infer/api.js';
import { blindModel } from './models.js';

const sides = (prompts: Prompt[]) => [
  ...new Set(
    prompts.flatMap((p) =>
      ('segments' in p ? p.segments : [])
        .filter((s): s is Extract<Segment, { kind: 'image' }> => s.kind === 'image')
        .map((s) => `${s.image.width}x${s.image.height}`),
    ),
  ),
];

test('world pictures are rendered at model.info.renderSize, 128 when absent, opts.renderSize when given', async () => {
  const run = async (info: { renderSize?: number }, renderSize?: number) => {
    const model = blindModel(info);
    await runEval(model, { tasks: ['world-vqav2', 'world-coco'], shots: [0, 2], limit: 3, onWarning: () => {}, ...(renderSize ? { renderSize } : {}) });
    return sides(model.generated);
  };
  assert.deepEqual(await run({ renderSize: 48 }), ['48x48'], 'queries and shots follow the model');
  assert.deepEqual(await run({}), ['128x128'], 'models that do not say keep the 128 px default');
  assert.deepEqual(await run({ renderSize: 48 }, 64), ['64x64'], 'an explicit side wins');
});
