// The real path of issue #12 end to end, through the commands a user runs, on files the test
// writes: tiny random HF directories (a BF16 CLIP tower, an F16 Llama in two shards with a BPE
// tokenizer and a ChatML template) and pretraining shards (a WebDataset tar of JPEGs + captions,
// an OBELICS parquet, a text jsonl, each with broken records) → `mm1 pretrain --vision --llm` on
// those files (loss falls, broken records listed with shard and offset, a run stopped at step k
// and resumed gives the uninterrupted losses bit for bit) → `mm1 sft` on LLaVA JSON with the
// template → `mm1 eval` on COCO-format files → the server answers an image request over HTTP →
// `mm1 export hf` → `mm1 import` of the export gives the same log-likelihoods exactly.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadModel } from '../../src/model/infer/load.js';
import { tempDir, writePng } from '../data/fixtures.js';
import { mm1 } from '../helpers/cli.js';
import { writeShardSet } from '../helpers/data_shards.js';
import { writeClipDir, writeLlmDir } from '../helpers/hf_dirs.js';
import { dataUrl, postJson, solidPng } from '../serve/helpers.js';

const dir = tempDir('hf-e2e');
after(() => rmSync(dir, { recursive: true, force: true }));
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
/** `mm1 serve --port 0` in a child process, as a user starts it; resolves with the URL it prints once it listens. */
function mm1Serve(model: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--model', model, '--port', '0'], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const m = /serving .* at (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ url: m[1], stop });
    });
    child.on('exit', (code) => reject(new Error(`mm1 serve exited (${code}) before listening:\n${stderr}`)));
  });
}

const skipLines = (run: string) =>
  readFileSync(join(run, 'skipped.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { source: string; shard: string; offset: number; reason: string });
const ok = (r: { code: number; stdout: string; stderr: string }, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);

test('HF tower + LLM on files: pretrain (skips listed, resume exact), sft with the chat template, eval, serve, export and re-import with identical logits', async () => {
  const vision = writeClipDir(join(dir, 'clip'));
  const llm = writeLlmDir(join(dir, 'llm'));
  await writeData();
  // One record in 4 of each shard is broken (a truncated JPEG, a parquet image path that does not exist, a line that is not
  // JSON), so that each source meets one within a dozen steps; hence a skip limit above the default 5%.
  const shards = join(dir, 'shards');
  const set = await writeShardSet({ dir: shards, shards: 2, perShard: 8, brokenEvery: 4, size: [40, 28] });
  const train = ['--batch-size', '2', '--seq-len', '96', '--max-images', '1', '--lr', '3e-3', '-q'];
  const files = ['--webdataset', set.webdataset, '--obelics-parquet', set.obelicsParquet, '--image-root', shards, '--text-jsonl', set.text];
  const pretrainArgs = ['pretrain', '--vision', vision, '--llm', llm, '--connector', 'avgpool', '--image-tokens', '4', ...files, '--max-skip-rate', '0.3'];

  const pre = join(dir, 'pre');
  ok(await mm1([...pretrainArgs, '--steps', '12', ...train, '--out', pre]), 'pretrain');
  const l = losses(pre);
  assert.ok(l.slice(-3).reduce((a, b) => a + b) < l.slice(0, 3).reduce((a, b) => a + b), `pretraining loss falls: ${l.map((x) => x.toFixed(2)).join(' ')}`);
  const skipped = skipLines(pre);
  assert.deepEqual(new Set(skipped.map((s) => s.source)), new Set(['caption', 'interleaved', 'text']), 'each source met a broken record');
  for (const s of skipped) {
    assert.equal(s.offset % 4, s.source === 'text' ? 0 : 3, `the planted record (every 4th) is the one skipped: ${JSON.stringify(s)}`);
    assert.ok(s.shard.startsWith(shards) && s.reason.length > 0, JSON.stringify(s));
  }

  // Stopped after step 5, then resumed with nothing but --resume: the same 12 losses, bit for bit.
  const split = join(dir, 'split');
  ok(await mm1([...pretrainArgs, '--steps', '12', ...train, '--stop-after', '5', '--out', split]), 'pretrain --stop-after');
  assert.equal(losses(split).length, 5);
  ok(await mm1(['pretrain', '--out', split, '--resume', '-q']), 'pretrain --resume');
  assert.deepEqual(losses(split), l, 'stop + resume gives the uninterrupted losses');
  assert.deepEqual(skipLines(split), skipped, 'the resumed run lists each broken record once, in the same order');
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

  const server = await mm1Serve(join(sft, 'model'));
  try {
    const content = [
      { type: 'image_url', image_url: { url: dataUrl(await solidPng(COLOURS.red, 40)) } },
      { type: 'text', text: 'What colour is it?' },
    ];
    const r = await postJson(`${server.url}/v1/chat/completions`, { max_tokens: 6, messages: [{ role: 'user', content }] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(typeof r.json.choices[0].message.content, 'string');
    assert.ok(r.json.usage.prompt_tokens > 4, 'the prompt holds the template and the image tokens');
  } finally {
    await server.stop();
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
  const model = await loadModel(join(sft, 'model'));
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
