// Every way a request can be wrong gets a 4xx with an OpenAI-style error body naming the
// field — never a crash, never a 500 — and the server keeps serving afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/serve/server.js';
import { EchoModel } from './echo_model.js';
import { dataUrl, postJson, solidPng, startTestServer } from './helpers.js';

const model = new EchoModel({ stepMs: 0, contextLength: 64, maxImages: 4 });
let server: RunningServer;
let url: string;
let png: string;

before(async () => {
  server = await startTestServer({ model, maxImages: 2, maxImageBytes: 4000, maxImagePixels: 100 * 100, maxTokens: 40 });
  url = `${server.url}/v1/chat/completions`;
  png = dataUrl(await solidPng([10, 20, 30]));
});
after(() => server.close());

const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });
const image = (u: string) => ({ type: 'image_url', image_url: { url: u } });

async function refused(body: unknown, status: number, expect: { param?: string | null; code?: string; message?: RegExp }) {
  const r = await postJson(url, body);
  assert.equal(r.status, status, `status for ${JSON.stringify(body).slice(0, 120)}: ${JSON.stringify(r.json)}`);
  const e = r.json.error;
  assert.equal(typeof e.message, 'string');
  assert.ok('type' in e && 'param' in e && 'code' in e, JSON.stringify(r.json));
  if (expect.param !== undefined) assert.equal(e.param, expect.param);
  if (expect.code !== undefined) assert.equal(e.code, expect.code);
  if (expect.message) assert.match(e.message, expect.message);
}

test('malformed JSON and non-object bodies', async () => {
  await refused('{"messages": [', 400, { code: 'invalid_json', message: /could not parse the JSON body/ });
  await refused('[1,2]', 400, { code: 'invalid_request_body' });
  await refused('null', 400, { code: 'invalid_request_body' });
});

test('unknown fields are named; default client fields at neutral values pass', async () => {
  await refused({ ...user('hi'), max_token: 5 }, 400, { param: 'max_token', code: 'unrecognized_argument', message: /max_token/ });
  await refused({ messages: [{ role: 'user', content: 'hi', colour: 'red' }] }, 400, { param: 'messages[0].colour', code: 'unrecognized_argument' });
  await refused(user([{ type: 'image_url', image_url: { url: png, size: 3 } }]), 400, { param: 'messages[0].content[0].image_url.size' });
  const ok = await postJson(url, {
    ...user('hi'),
    user: 'u1',
    n: 1,
    frequency_penalty: 0,
    presence_penalty: 0,
    logprobs: false,
    stream_options: null,
    seed: null,
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  await refused({ ...user('hi'), n: 2 }, 400, { param: 'n', message: /only n=1/ });
  await refused({ ...user('hi'), presence_penalty: 0.5 }, 400, { param: 'presence_penalty' });
  await refused({ ...user('hi'), logprobs: true }, 400, { param: 'logprobs' });
});

test('bad values name the field', async () => {
  await refused({ messages: [] }, 400, { param: 'messages', message: /at least one/ });
  await refused({}, 400, { param: 'messages' });
  await refused({ ...user('hi'), temperature: 3 }, 400, { param: 'temperature' });
  await refused({ ...user('hi'), top_p: 0 }, 400, { param: 'top_p' });
  await refused({ ...user('hi'), max_tokens: 0 }, 400, { param: 'max_tokens' });
  await refused({ ...user('hi'), max_tokens: 2.5 }, 400, { param: 'max_tokens' });
  await refused({ ...user('hi'), stop: ['a', 'b', 'c', 'd', 'e'] }, 400, { param: 'stop' });
  await refused({ messages: [{ role: 'tool', content: 'x' }] }, 400, { param: 'messages[0].role', message: /no tool calling/ });
  await refused(user([{ type: 'input_audio', input_audio: {} }]), 400, { param: 'messages[0].content[0].type', message: /input_audio/ });
  await refused(user(42), 400, { param: 'messages[0].content' });
  await refused(
    {
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [image(png)] },
        { role: 'user', content: 'b' },
      ],
    },
    400,
    {
      param: 'messages[1].content[0].type',
      message: /only user messages may hold images/,
    },
  );
  await refused(
    {
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
    },
    400,
    { param: 'messages[1].role', message: /last message must come from the user/ },
  );
  await refused({ ...user('hi'), max_tokens: 5, max_completion_tokens: 6 }, 400, { param: 'max_completion_tokens' });
});

test('images: remote URLs, bad data URLs, corrupt files, too many, too large', async () => {
  await refused(user([image('https://example.com/cat.png')]), 400, {
    code: 'image_url_not_supported',
    param: 'messages[0].content[0].image_url',
    message: /data URL/,
  });
  await refused(user([image('file:///etc/passwd')]), 400, { code: 'invalid_image_url' });
  await refused(user([image('data:image/png;base64,@@@@')]), 400, { code: 'invalid_image_url', message: /malformed/ });
  await refused(user([image('data:image/gif;base64,R0lGODlh')]), 400, { code: 'invalid_image_url' });
  const corrupt = Buffer.from(png.split(',')[1], 'base64').subarray(0, 40); // PNG header, truncated data
  await refused(user([image(dataUrl(corrupt))]), 400, { code: 'invalid_image', param: 'messages[0].content[0].image_url' });
  await refused(user([image(dataUrl(Buffer.from('not an image at all')))]), 400, { code: 'invalid_image' });
  await refused(user([image(png), image(png), image(png)]), 400, { code: 'too_many_images', message: /at most 2/ });
  const big = await solidPng([1, 2, 3], 101); // 10,201 pixels > 100 × 100
  await refused(user([image(dataUrl(big))]), 400, { code: 'image_too_large', message: /pixels/ });
  const heavy = 'data:image/png;base64,' + 'A'.repeat(8000); // 6000 bytes > 4000
  await refused(user([image(heavy)]), 400, { code: 'image_too_large', message: /bytes/ });
});

test('token limits: prompt + max_tokens within the context, max_tokens within the server cap', async () => {
  await refused({ ...user('hi'), max_tokens: 41 }, 400, { param: 'max_tokens', message: /at most 40/ });
  // Prompt: 1 + 2 images × 16 + 1 word + 2 + 1 = 37 tokens; context 64.
  const two = user([image(png), image(png), { type: 'text', text: 'hi' }]);
  await refused({ ...two, max_tokens: 28 }, 400, {
    param: 'messages',
    code: 'context_length_exceeded',
    message: /maximum context length is 64 tokens.*37 in the messages, 28/,
  });
  const fits = await postJson(url, { ...two, max_tokens: 27 });
  assert.equal(fits.status, 200, JSON.stringify(fits.json));
  // Without max_tokens the default shrinks to the room left.
  const dflt = await postJson(url, two);
  assert.equal(dflt.status, 200);
  assert.equal(model.calls.at(-1)!.opts.maxNewTokens, 27);
  const long = user('w '.repeat(70));
  await refused(long, 400, { code: 'context_length_exceeded' });
});

test('oversized bodies are refused with 413 before parsing', async () => {
  // Limit: 2 images × 4000 bytes × 4/3 + 1 MiB.
  const r = await postJson(url, { ...user('x'.repeat(1_100_000)) });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'request_too_large');
});

test('unknown routes and the wrong model are OpenAI-style 404s; the server still serves', async () => {
  const r = await fetch(`${server.url}/v1/completions`, { method: 'POST', body: '{}' });
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.type, 'not_found_error');
  await refused({ ...user('hi'), model: 'other' }, 404, { param: 'model', code: 'model_not_found' });
  const ok = await postJson(url, { ...user([image(png), { type: 'text', text: 'still here?' }]), model: 'mm1-echo' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.choices[0].message.content, 'I see 1 image rgb(10,20,30) and you said: still here?');
});

test('a model id with slashes (its path, as served) is found without escaping them', async () => {
  const pathNamed = new EchoModel({ stepMs: 0 });
  pathNamed.info.name = 'runs/sft/model';
  const s = await startTestServer({ model: pathNamed });
  try {
    for (const id of ['runs/sft/model', 'runs%2Fsft%2Fmodel']) {
      const r = await fetch(`${s.url}/v1/models/${id}`);
      assert.equal(r.status, 200, id);
      assert.equal(((await r.json()) as { id: string }).id, 'runs/sft/model');
    }
    assert.equal((await fetch(`${s.url}/v1/models/runs/other/model`)).status, 404);
  } finally {
    await s.close();
  }
});
