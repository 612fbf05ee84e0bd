// Clients that hang up while their request waits in the queue cost no model time, streamed
// or not; and the library entry point exposes loadModel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as mm1 from '../../src/index.js';
import { EchoModel } from './echo_model.js';
import { startTestServer } from './helpers.js';

test('requests abandoned while queued are dropped before they reach the model', async () => {
  const model = new EchoModel({ stepMs: 60 }); // busy long enough (~0.7 s) for the hang-ups to arrive on a loaded machine
  const server = await startTestServer({ model });
  const url = `${server.url}/v1/chat/completions`;
  const post = (content: string, stream: boolean, signal?: AbortSignal) =>
    fetch(url, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content }], stream }), signal });
  try {
    const busy = post('keep the model busy', false); // ~12 steps × 60 ms
    await new Promise((r) => setTimeout(r, 30));
    const gone = new AbortController();
    const a = post('abandoned plain', false, gone.signal).catch(() => 'aborted');
    const streamed = await post('abandoned stream', true);
    const b = streamed.body!.getReader();
    await b.read(); // the role chunk arrives at once; the generation waits in the queue
    assert.equal(server.queue.depth, 2);
    gone.abort();
    await b.cancel();
    assert.equal(await a, 'aborted');
    // The server learns of a hang-up a moment later (its socket closes): wait for that, not a fixed time.
    while (server.queue.depth > 0 && server.queue.busy) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.queue.depth, 0);
    const kept = await busy;
    assert.equal(kept.status, 200);
    assert.match(await kept.text(), /keep the model busy/);
    assert.equal(model.calls.length, 1, 'only the request whose client stayed was generated');
  } finally {
    await server.close();
  }
});

test('the library entry point: loadModel (naming a directory that is not a model) and the server', async () => {
  assert.equal(typeof mm1.startServer, 'function');
  assert.equal(typeof mm1.startWorkerBackend, 'function');
  await assert.rejects(mm1.loadModel('/any/dir'), /\/any\/dir: no config.json/);
});
