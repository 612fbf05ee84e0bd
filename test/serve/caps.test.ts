// Every limit the server enforces, each at its edge (one under passes, one over is refused),
// so removing or loosening a cap fails here: images per request (default: what the model
// was trained with; a flag raises it up to what fits), body size, max_tokens, the 503 on a
// full queue, and a client that hangs up on a queued stream giving its place back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EchoModel } from './echo_model.js';
import { dataUrl, postJson, solidPng, startTestServer } from './helpers.js';

const user = (content: unknown, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content }], ...extra });
const images = (url: string, n: number) => [...Array.from({ length: n }, () => ({ type: 'image_url', image_url: { url } })), { type: 'text', text: 'hi' }];
const MiB = 1024 * 1024;

test('images per request: the trained count by default, raised by maxImages up to what fits in the context', async () => {
  const png = dataUrl(await solidPng([9, 9, 9]));
  const model = new EchoModel({ stepMs: 0, maxImages: 6, trainedImages: 2, imageTokens: 4 });
  const byDefault = await startTestServer({ model });
  const raised = await startTestServer({ model, maxImages: 4 });
  const beyond = await startTestServer({ model, maxImages: 100 });
  try {
    assert.equal(byDefault.policy.maxImages, 2);
    assert.equal((await postJson(`${byDefault.url}/v1/chat/completions`, user(images(png, 2)))).status, 200);
    const over = await postJson(`${byDefault.url}/v1/chat/completions`, user(images(png, 3)));
    assert.equal(over.status, 400);
    assert.equal(over.json.error.code, 'too_many_images');
    assert.match(over.json.error.message, /3 images; this server accepts at most 2/);

    assert.equal((await postJson(`${raised.url}/v1/chat/completions`, user(images(png, 4)))).status, 200);
    assert.equal((await postJson(`${raised.url}/v1/chat/completions`, user(images(png, 5)))).json.error.code, 'too_many_images');
    assert.equal(beyond.policy.maxImages, 6, 'a flag cannot raise the cap past what fits in the context');
  } finally {
    await Promise.all([byDefault.close(), raised.close(), beyond.close()]);
  }
});

test('body size: images × bytes per image (base64) + 1 MiB; one byte over is 413', async () => {
  const model = new EchoModel({ stepMs: 0, trainedImages: 2 });
  const server = await startTestServer({ model, maxImageBytes: 3000 });
  const limit = Math.ceil((2 * 3000 * 4) / 3) + MiB; // 8,000 + 1 MiB
  try {
    const envelope = JSON.stringify(user('')).length;
    const sized = (n: number) => JSON.stringify(user(' '.repeat(n - envelope)));
    assert.equal(sized(limit).length, limit);
    const at = await postJson(`${server.url}/v1/chat/completions`, sized(limit));
    assert.notEqual(at.status, 413, 'a body of exactly the limit is read');
    const over = await postJson(`${server.url}/v1/chat/completions`, sized(limit + 1));
    assert.equal(over.status, 413);
    assert.equal(over.json.error.code, 'request_too_large');
    assert.match(over.json.error.message, new RegExp(`exceeds ${limit} bytes \\(2 images of at most 3000 bytes`));
  } finally {
    await server.close();
  }
});

test('max_tokens: the cap passes, one more is refused naming the flag', async () => {
  const server = await startTestServer({ model: new EchoModel({ stepMs: 0 }), maxTokens: 12 });
  try {
    assert.equal((await postJson(`${server.url}/v1/chat/completions`, user('hi', { max_tokens: 12 }))).status, 200);
    const over = await postJson(`${server.url}/v1/chat/completions`, user('hi', { max_tokens: 13 }));
    assert.equal(over.status, 400);
    assert.equal(over.json.error.param, 'max_tokens');
    assert.match(over.json.error.message, /at most 12 tokens per request \(mm1 serve --max-tokens\)/);
  } finally {
    await server.close();
  }
});

/** Resolves once the server's queue holds `depth` waiting requests. */
async function queueReaches(server: { queue: { depth: number } }, depth: number): Promise<void> {
  while (server.queue.depth !== depth) await new Promise((r) => setTimeout(r, 2));
}

test('a full queue answers 503; a queued stream whose client hangs up frees its place', async () => {
  const model = new EchoModel({ stepMs: 15 });
  const server = await startTestServer({ model, maxWaiting: 1 });
  const url = `${server.url}/v1/chat/completions`;
  try {
    const busy = postJson(url, user('keep the model busy for a while'));
    while (!server.queue.busy) await new Promise((r) => setTimeout(r, 2));
    const streamed = await fetch(url, { method: 'POST', body: JSON.stringify(user('waiting stream', { stream: true })) });
    const reader = streamed.body!.getReader();
    await reader.read(); // the role chunk: the stream has started and its job waits in the queue
    await queueReaches(server, 1);

    const full = await postJson(url, user('one too many'));
    assert.equal(full.status, 503);
    assert.equal(full.json.error.code, 'server_overloaded');
    assert.equal(full.json.error.type, 'server_error');
    // A stream is refused before it starts, not answered 200 with an error event.
    const fullStream = await postJson(url, user('one too many, streamed', { stream: true }));
    assert.equal(fullStream.status, 503);
    assert.equal(fullStream.json.error.code, 'server_overloaded');

    await reader.cancel(); // the client hangs up
    await queueReaches(server, 0);
    const after = await postJson(url, user('next in line'));
    assert.equal(after.status, 200, JSON.stringify(after.json));
    assert.match(after.json.choices[0].message.content, /next in line/);
    assert.equal((await busy).status, 200);
    assert.equal(model.calls.length, 2, 'the abandoned stream never reached the model');
  } finally {
    await server.close();
  }
});
