// Load on loopback: 200 good requests (with images, streamed and not) from 16 concurrent
// clients, interleaved with malformed and oversized ones. Every good request must succeed
// with its own answer (a batching mix-up would swap colours), every bad one must get its
// 4xx; latency percentiles and batching are printed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/serve/server.js';
import { EchoModel } from './echo_model.js';
import { dataUrl, percentile, postJson, solidPng, startTestServer } from './helpers.js';

const TOTAL = 200;
const CONCURRENCY = 16;
const model = new EchoModel({ stepMs: 1 });
let server: RunningServer;
let url: string;

before(async () => {
  server = await startTestServer({ model, batchSize: 4, maxImageBytes: 2000 });
  url = `${server.url}/v1/chat/completions`;
});
after(() => server.close());

async function streamed(body: object): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  const raw = await res.text();
  if (res.status !== 200) return { status: res.status, text: raw };
  const events = raw
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''));
  assert.equal(events.at(-1), '[DONE]');
  const text = events
    .slice(0, -1)
    .map((e) => JSON.parse(e).choices[0]?.delta.content ?? '')
    .join('');
  return { status: 200, text };
}

test(`${TOTAL} good requests from ${CONCURRENCY} clients, bad ones interleaved: no failures, 4xx for the bad`, async () => {
  const pngs = await Promise.all(Array.from({ length: 16 }, (_, i) => solidPng([i * 16, 255 - i * 16, (i * 37) % 256])));
  const bad = [
    { body: '{"messages": [{"role": "user", "content": "unterminated', status: 400 },
    { body: { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }] }] }, status: 400 },
    { body: { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,' + 'A'.repeat(4000) } }] }] }, status: 400 },
    { body: { messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] }, status: 413 },
    { body: { messages: [{ role: 'user', content: 'hi' }], bogus: true }, status: 400 },
  ];
  const latencies: number[] = [];
  let failures = 0;
  let refused = 0;
  let next = 0;
  const t0 = performance.now();
  const client = async () => {
    while (next < TOTAL) {
      const i = next++;
      if (i % 4 === 1) {
        const b = bad[i % bad.length];
        const r = await postJson(url, b.body);
        assert.equal(r.status, b.status, JSON.stringify(r.json).slice(0, 200));
        assert.ok(r.json.error?.message, 'OpenAI-style error body');
        refused++;
      }
      const colour = i % 16;
      const body = {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: dataUrl(pngs[colour]) } },
              { type: 'text', text: `request ${i}` },
            ],
          },
        ],
        temperature: 0,
        max_tokens: 20,
      };
      const start = performance.now();
      const expected = `I see 1 image rgb(${colour * 16},${255 - colour * 16},${(colour * 37) % 256}) and you said: request ${i}`;
      if (i % 4 === 3) {
        const r = await streamed(body);
        if (r.status !== 200 || r.text !== expected) failures++;
      } else {
        const r = await postJson(url, body);
        if (r.status !== 200 || r.json.choices[0].message.content !== expected) failures++;
      }
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => percentile(latencies, q).toFixed(1);
  console.log(
    `load: ${TOTAL} good + ${refused} refused requests, ${CONCURRENCY} concurrent, ${seconds.toFixed(2)} s (${(TOTAL / seconds).toFixed(0)} req/s); ` +
      `latency ms p50 ${p(50)} p95 ${p(95)} p99 ${p(99)} max ${latencies.at(-1)!.toFixed(1)}; ` +
      `model calls ${server.queue.stats.batches} for ${server.queue.stats.requests} requests, largest batch ${server.queue.stats.largestBatch}`,
  );
  assert.equal(failures, 0);
  assert.equal(latencies.length, TOTAL);
  assert.equal(refused, TOTAL / 4);
  assert.ok(server.queue.stats.largestBatch > 1, 'under load, queued non-streaming requests are batched');
  assert.ok(server.queue.stats.largestBatch <= 4, 'batches respect --batch-size');
});
