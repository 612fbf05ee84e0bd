// Hugging Face backbones end to end, through the commands a user runs: tiny random HF
// directories (a BF16 CLIP tower, an F16 Llama in two shards with a BPE tokenizer and a ChatML
// template) → `mm1 pretrain --vision --llm` (loss falls) → `mm1 sft` on LLaVA JSON with the
// template → `mm1 eval` on COCO-format files → the server answers an image request →
// `mm1 export hf` → `mm1 import` of the export gives the same log-likelihoods exactly.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/model/infer/load.js';
import { tempDir, writePng } from '../data/fixtures.js';
import { mm1 } from '../helpers/cli.js';
import { writeClipDir, writeLlmDir } from '../helpers/hf_dirs.js';
import { dataUrl, postJson, solidPng, startTestServer } from '../serve/helpers.js';

const dir = tempDir('hf-e2e');
const COLOURS: Record<string, [number, number, number]> = { red: [220, 30, 30], blue: [30, 30, 220], green: [30, 200, 30] };

async function writeData(): Promise<void> {
  const items = [];
  for (const [name, rgb] of Object.entries(COLOURS)) {
    await writePng(join(dir, `${name}.png`), rgb, 48, 32); // not square: the processor crops
    items.push({
      id: name,
      image: `${name}.png`,
      conversations: [
        { from: 'human', value: '<image>\nWhat colour is it?' },
        { from: 'gpt', value: `It is ${name}.` },
      ],
    });
  }
  writeFileSync(join(dir, 'llava.json'), JSON.stringify(items));
  const names = Object.keys(COLOURS);
  writeFileSync(
    join(dir, 'coco.json'),
    JSON.stringify({
      images: names.map((n, i) => ({ id: i, file_name: `${n}.png` })),
      annotations: names.map((n, i) => ({ id: 10 + i, image_id: i, caption: `A ${n} picture.` })),
    }),
  );
}

const losses = (run: string) =>
  readFileSync(join(run, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { loss: number }).loss);
const ok = (r: { code: number; stdout: string; stderr: string }, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);

test('HF tower + LLM: pretrain, sft with the chat template, eval, serve, export and re-import with identical logits', async () => {
  const vision = writeClipDir(join(dir, 'clip'));
  const llm = writeLlmDir(join(dir, 'llm'));
  await writeData();
  const train = ['--batch-size', '2', '--seq-len', '96', '--max-images', '1', '--lr', '3e-3', '-q'];

  const pre = join(dir, 'pre');
  ok(
    await mm1(['pretrain', '--vision', vision, '--llm', llm, '--connector', 'avgpool', '--image-tokens', '4', '--steps', '12', ...train, '--out', pre]),
    'pretrain',
  );
  const l = losses(pre);
  assert.ok(l.slice(-3).reduce((a, b) => a + b) < l.slice(0, 3).reduce((a, b) => a + b), `pretraining loss falls: ${l.map((x) => x.toFixed(2)).join(' ')}`);
  const tokConfig = JSON.parse(readFileSync(join(pre, 'model', 'tokenizer_config.json'), 'utf8')) as { chat_template: string };
  assert.match(tokConfig.chat_template, /<\|im_start\|>/, "the model directory carries the LLM's tokenizer files");

  const sft = join(dir, 'sft');
  ok(await mm1(['sft', '--model', join(pre, 'model'), '--data', join(dir, 'llava.json'), '--image-root', dir, '--steps', '8', ...train, '--out', sft]), 'sft');
  const sl = losses(sft);
  assert.ok(sl.at(-1)! < sl[0], `sft loss falls: ${sl.map((x) => x.toFixed(2)).join(' ')}`);

  const evalOut = join(dir, 'eval');
  ok(
    await mm1([
      'eval',
      '--model',
      join(sft, 'model'),
      '--tasks',
      'coco',
      '--data',
      `coco=${join(dir, 'coco.json')}:${dir}`,
      '--shots',
      '0',
      '--quiet',
      '--out',
      evalOut,
    ]),
    'eval',
  );
  const results = JSON.parse(readFileSync(join(evalOut, 'results.json'), 'utf8')) as { results: { n: number; metrics: { CIDEr: number } }[] };
  assert.equal(results.results[0].n, 3);
  assert.ok(Number.isFinite(results.results[0].metrics.CIDEr));

  const model = await loadModel(join(sft, 'model'));
  const server = await startTestServer({ model });
  try {
    const content = [
      { type: 'image_url', image_url: { url: dataUrl(await solidPng(COLOURS.red, 40)) } },
      { type: 'text', text: 'What colour is it?' },
    ];
    const r = await postJson(`${server.url}/v1/chat/completions`, { model: model.info.name, max_tokens: 6, messages: [{ role: 'user', content }] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(typeof r.json.choices[0].message.content, 'string');
    assert.ok(r.json.usage.prompt_tokens > 4, 'the prompt holds the template and the image tokens');
  } finally {
    await server.close();
  }

  const exported = join(dir, 'exported');
  ok(await mm1(['export', 'hf', '--model', join(sft, 'model'), '--out', exported]), 'export hf');
  for (const f of [
    'vision/config.json',
    'vision/model.safetensors',
    'vision/preprocessor_config.json',
    'llm/config.json',
    'llm/model.safetensors',
    'llm/tokenizer.json',
    'llm/tokenizer_config.json',
    'connector/model.safetensors',
  ])
    assert.ok(existsSync(join(exported, f)), f);
  const back = join(dir, 'back');
  ok(
    await mm1([
      'import',
      '--vision',
      join(exported, 'vision'),
      '--llm',
      join(exported, 'llm'),
      '--connector-weights',
      join(exported, 'connector'),
      '--out',
      back,
    ]),
    'import',
  );
  const again = await loadModel(back);
  try {
    const picture = { width: 48, height: 32, data: new Uint8Array(48 * 32 * 3).fill(90) };
    const requests = [
      {
        context: {
          segments: [
            { kind: 'image' as const, image: picture },
            { kind: 'text' as const, text: 'A picture of' },
          ],
        },
        continuation: ' a red square.',
      },
      { context: { segments: [{ kind: 'text' as const, text: 'The sky is' }] }, continuation: ' blue.' },
    ];
    const [a, b] = [await model.logLikelihood(requests), await again.logLikelihood(requests)];
    assert.deepEqual(
      b.map((x) => x.logProb),
      a.map((x) => x.logProb),
    );
  } finally {
    await Promise.all([model.release(), again.release()]);
  }
});
