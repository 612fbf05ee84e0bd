// The server through the official `openai` npm client, as users will call it: completions
// with images (streamed and not), usage, stop strings, models list, and API-key refusal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import type { RunningServer } from '../../src/serve/server.js';
import { EchoModel } from './echo_model.js';
import { dataUrl, solidPng, startTestServer } from './helpers.js';

const model = new EchoModel({ stepMs: 1 });
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startTestServer({ model, apiKey: 'sk-test-123' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-123', maxRetries: 0 });
});
after(() => server.close());

test('non-streaming completion with two images: reply, finish reason and usage', async () => {
  const red = dataUrl(await solidPng([200, 10, 10]));
  const blue = dataUrl(await solidPng([0, 0, 255], 16));
  const r = await client.chat.completions.create({
    model: 'mm1-echo',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: red } },
          { type: 'image_url', image_url: { url: blue } },
          { type: 'text', text: 'what colours?' },
        ],
      },
    ],
    max_tokens: 50,
    temperature: 0,
  });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'mm1-echo');
  assert.equal(r.choices.length, 1);
  assert.equal(r.choices[0].message.role, 'assistant');
  assert.equal(r.choices[0].message.content, 'I see 2 images rgb(200,10,10) rgb(0,0,255) and you said: what colours?');
  assert.equal(r.choices[0].finish_reason, 'stop');
  // Echo counts: 1 (bos) + 2 × 16 image tokens + 2 words + 2 per turn + 1 (assistant marker).
  assert.deepEqual(r.usage, { prompt_tokens: 38, completion_tokens: 11, total_tokens: 49 });
  assert.equal(model.calls.at(-1)!.opts.temperature, 0);
});

test('streaming: chunks concatenate to the non-streamed reply; include_usage adds a usage chunk', async () => {
  const green = dataUrl(await solidPng([0, 128, 0]));
  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'first' }] },
    { role: 'assistant' as const, content: 'ok' },
    {
      role: 'user' as const,
      content: [
        { type: 'image_url' as const, image_url: { url: green } },
        { type: 'text' as const, text: 'and now?' },
      ],
    },
  ];
  const stream = await client.chat.completions.create({ model: 'mm1-echo', messages, stream: true, stream_options: { include_usage: true }, temperature: 0 });
  const pieces: string[] = [];
  let finish: string | null = null;
  let usage: unknown;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) pieces.push(choice.delta.content);
    finish = choice.finish_reason ?? finish;
  }
  const text = pieces.join('');
  assert.equal(text, 'I see 1 image rgb(0,128,0) and you said: and now?');
  assert.ok(pieces.length >= 8, `expected one piece per word, got ${pieces.length}`);
  assert.equal(finish, 'stop');
  const plain = await client.chat.completions.create({ model: 'mm1-echo', messages, temperature: 0 });
  assert.equal(plain.choices[0].message.content, text);
  assert.deepEqual(usage, plain.usage);
  assert.ok(chunks >= pieces.length + 2); // role chunk + pieces + finish (+ usage)
});

test('stop strings: excluded from the text, streamed or not, even when split across pieces', async () => {
  const messages = [{ role: 'user' as const, content: 'alpha beta gamma delta' }];
  // Reply: "I see 0 images and you said: alpha beta gamma delta"; "gam" ends mid-word.
  const plain = await client.chat.completions.create({ model: 'mm1-echo', messages, stop: ['a gam', 'zzz'] });
  assert.equal(plain.choices[0].message.content, 'I see 0 images and you said: alpha bet');
  assert.equal(plain.choices[0].finish_reason, 'stop');
  const stream = await client.chat.completions.create({ model: 'mm1-echo', messages, stop: 'a gam', stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  assert.equal(text, 'I see 0 images and you said: alpha bet');
});

test('max_tokens cuts the reply with finish_reason length', async () => {
  const r = await client.chat.completions.create({ model: 'mm1-echo', messages: [{ role: 'user', content: 'hello there' }], max_completion_tokens: 3 });
  assert.equal(r.choices[0].message.content, 'I see 0');
  assert.equal(r.choices[0].finish_reason, 'length');
  assert.equal(r.usage!.completion_tokens, 3);
});

test('GET /v1/models lists the served model; retrieve works; unknown model is 404', async () => {
  const list = await client.models.list();
  assert.deepEqual(
    list.data.map((m) => [m.id, m.object, m.owned_by]),
    [['mm1-echo', 'model', 'mm1']],
  );
  assert.equal((await client.models.retrieve('mm1-echo')).id, 'mm1-echo');
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }), (err: any) => {
    assert.equal(err.status, 404);
    assert.equal(err.code, 'model_not_found');
    assert.match(err.message, /serves 'mm1-echo'/);
    return true;
  });
});

test('wrong or missing API key: 401 with an OpenAI-style error; /health needs no key', async () => {
  const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
  await assert.rejects(wrong.models.list(), (err: any) => {
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    assert.equal(err.type, 'authentication_error');
    return true;
  });
  const none = await fetch(`${server.url}/v1/models`);
  assert.equal(none.status, 401);
  assert.match((await none.json()).error.message, /didn't provide an API key/);
  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
  assert.equal((await health.json()).status, 'ok');
});
