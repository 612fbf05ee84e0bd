// A streaming client that reads one chunk per second must not hold the model: its
// generation finishes into the server's buffer while the client has read little of it,
// and other clients are served at full speed meanwhile.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/serve/server.js';
import { EchoModel } from './echo_model.js';
import { postJson, startTestServer } from './helpers.js';

const PIECES = 1000; // × 16 KiB ≈ 16 MiB of SSE, more than loopback socket buffers hold
const model = new EchoModel({ stepMs: 0, contextLength: 100_000 });
let server: RunningServer;

before(async () => {
  server = await startTestServer({ model, maxTokens: 5000 });
});
after(() => server.close());

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('a slow streaming reader does not stall the model or other clients', async () => {
  let bytesRead = 0;
  let ended = false;
  const body = JSON.stringify({ messages: [{ role: 'user', content: `flood ${PIECES}` }], stream: true, max_tokens: 4000 });
  const req = http.request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } });
  const reader = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      assert.equal(res.statusCode, 200);
      res.pause();
      const readOne = () => {
        const chunk = res.read() as Buffer | null;
        if (chunk) bytesRead += chunk.length;
      };
      readOne();
      const timer = setInterval(readOne, 1000); // one chunk per second
      res.on('end', () => ((ended = true), clearInterval(timer)));
      res.on('close', () => clearInterval(timer));
      resolve();
    });
    req.on('error', (err) => (ended ? undefined : reject(err)));
  });
  req.end(body);
  await reader;

  const tGen = performance.now();
  const callsBefore = model.finished;
  await until(() => model.finished > callsBefore, 10_000, 'the flood generation to finish');
  const total = PIECES * 16 * 1024;
  console.log(
    `slow client: generation of ~${(total / 2 ** 20).toFixed(0)} MiB finished in ${((performance.now() - tGen) / 1000).toFixed(2)} s while the client had read ${(bytesRead / 1024).toFixed(0)} KiB`,
  );
  assert.ok(bytesRead < total / 4, `the client read ${bytesRead} bytes; the model should not have waited for it`);
  assert.equal(server.queue.busy, false);

  const latencies: number[] = [];
  for (let round = 0; round < 5; round++) {
    await Promise.all(
      Array.from({ length: 4 }, async (_, k) => {
        const t0 = performance.now();
        const r = await postJson(`${server.url}/v1/chat/completions`, { messages: [{ role: 'user', content: `ping ${round}.${k}` }], stream: k % 2 === 1 });
        latencies.push(performance.now() - t0);
        assert.equal(r.status, 200);
        if (k % 2 === 0) assert.equal(r.json.choices[0].message.content, `I see 0 images and you said: ping ${round}.${k}`);
        else assert.match(r.json as string, /data: \[DONE\]/);
      }),
    );
  }
  latencies.sort((a, b) => a - b);
  console.log(`slow client: 20 other requests meanwhile, max latency ${latencies.at(-1)!.toFixed(1)} ms`);
  assert.equal(latencies.length, 20, 'every other request was answered while the slow client read');
  assert.equal(ended, false, 'the slow client is still reading: the server buffered its stream');

  req.destroy(); // the slow client hangs up mid-stream
  await new Promise((r) => setTimeout(r, 50));
  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
});
