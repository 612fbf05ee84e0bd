// The generation queue: one model call at a time, compatible non-streaming requests
// batched, streaming and seeded-sampling requests alone, cancelled requests dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenerateOptions, Generation, Prompt } from '../../src/model/infer/api.js';
import { GenerationQueue, JobAbortedError, QueueFullError, type GenerationJob } from '../../src/serve/queue.js';

/** A backend that answers each prompt with its own text, after `ms`, recording every call. */
function recordingBackend(ms = 5) {
  const calls: { texts: string[]; opts: GenerateOptions }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    calls,
    maxInFlight: () => maxInFlight,
    async generate(prompts: Prompt[], opts: GenerateOptions): Promise<Generation[]> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const texts = prompts.map((p) => ('segments' in p && p.segments[0].kind === 'text' ? p.segments[0].text : '?'));
      calls.push({ texts, opts });
      if (texts.includes('boom')) {
        inFlight--;
        throw new Error('model exploded');
      }
      opts.onText?.(texts[0]);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return texts.map((text) => ({ text, finishReason: 'stop', promptTokens: 1, completionTokens: 1 }));
    },
  };
}

const job = (text: string, opts: Partial<GenerationJob['opts']> = {}, extra: Partial<GenerationJob> = {}): GenerationJob => ({
  prompt: { segments: [{ kind: 'text', text }] },
  opts: { maxNewTokens: 8, temperature: 0, ...opts },
  ...extra,
});

test('one call at a time; queued compatible requests are batched up to batchSize, each gets its own result', async () => {
  const backend = recordingBackend();
  const q = new GenerationQueue(backend, { batchSize: 3, maxWaiting: 100 });
  const first = q.submit(job('a'));
  // While 'a' runs, these queue up: five compatible, one with other options between them.
  const rest = ['b', 'c', 'd', 'e', 'f'].map((t) => q.submit(job(t)));
  const other = q.submit(job('x', { maxNewTokens: 9 }));
  assert.equal(q.depth, 6);
  const results = await Promise.all([first, ...rest, other]);
  assert.deepEqual(
    results.map((g) => g.text),
    ['a', 'b', 'c', 'd', 'e', 'f', 'x'],
  );
  assert.deepEqual(
    backend.calls.map((c) => c.texts),
    [['a'], ['b', 'c', 'd'], ['e', 'f'], ['x']],
  );
  assert.equal(backend.maxInFlight(), 1);
  assert.deepEqual(q.stats, { batches: 4, requests: 7, largestBatch: 3 });
});

test('streaming jobs and seeded sampling run alone; greedy jobs batch whatever their seed', async () => {
  const backend = recordingBackend();
  const q = new GenerationQueue(backend, { batchSize: 8, maxWaiting: 100 });
  const pieces: string[] = [];
  const all = [
    q.submit(job('head')),
    q.submit(job('s1', {}, { onText: (p) => pieces.push(p) })),
    q.submit(job('s2', {}, { onText: (p) => pieces.push(p) })),
    q.submit(job('seeded1', { temperature: 0.7, seed: 1 })),
    q.submit(job('seeded2', { temperature: 0.7, seed: 1 })),
    q.submit(job('g1', { seed: 1 })),
    q.submit(job('g2', { seed: 2 })),
  ];
  await Promise.all(all);
  assert.deepEqual(
    backend.calls.map((c) => c.texts),
    [['head'], ['s1'], ['s2'], ['seeded1'], ['seeded2'], ['g1', 'g2']],
  );
  assert.deepEqual(pieces, ['s1', 's2']);
  // Unseeded sampling with equal options does batch.
  const b2 = recordingBackend();
  const q2 = new GenerationQueue(b2, { batchSize: 8, maxWaiting: 100 });
  await Promise.all(['h', 'p', 'q'].map((t) => q2.submit(job(t, { temperature: 0.7, topP: 0.9 }))));
  assert.deepEqual(
    b2.calls.map((c) => c.texts),
    [['h'], ['p', 'q']],
  );
});

test('a request cancelled while waiting never reaches the model; a full queue refuses', async () => {
  const backend = recordingBackend();
  const q = new GenerationQueue(backend, { batchSize: 1, maxWaiting: 2 });
  const abort = new AbortController();
  const running = q.submit(job('a'));
  const cancelled = q.submit(job('gone', {}, { signal: abort.signal }));
  const waiting = q.submit(job('b'));
  await assert.rejects(q.submit(job('c')), QueueFullError);
  abort.abort();
  await assert.rejects(cancelled, JobAbortedError);
  assert.equal(q.depth, 1);
  await Promise.all([running, waiting]);
  assert.deepEqual(
    backend.calls.map((c) => c.texts),
    [['a'], ['b']],
  );
  await assert.rejects(q.submit(job('late', {}, { signal: abort.signal })), JobAbortedError);
});

test('a failing generate rejects its batch only; the queue keeps going', async () => {
  const backend = recordingBackend();
  const q = new GenerationQueue(backend, { batchSize: 4, maxWaiting: 100 });
  const a = q.submit(job('a'));
  const boom = q.submit(job('boom'));
  const c = q.submit(job('c', { maxNewTokens: 3 }));
  assert.equal((await a).text, 'a');
  await assert.rejects(boom, /model exploded/);
  assert.equal((await c).text, 'c');
  assert.equal(q.busy, false);
});
