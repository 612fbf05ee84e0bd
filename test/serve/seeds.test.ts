// Sampling without a seed is random per request and says which seed it drew; sending that
// seed back replays the text exactly (server and CLI), on a real (micro) model.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { loadModel } from '../../src/model/infer/load.js';
import type { Mm1Model } from '../../src/model/infer/api.js';
import { SEED_HEADER } from '../../src/serve/seed_header.js';
import type { RunningServer } from '../../src/serve/server.js';
import { microModelDir } from '../helpers/micro_model.js';
import { startTestServer } from './helpers.js';

let dir: string;
let modelDir: string;
let model: Mm1Model;
let server: RunningServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm1-seeds-'));
  modelDir = await microModelDir(dir);
  model = await loadModel(modelDir);
  server = await startTestServer({ model });
});
after(async () => {
  await server.close();
  await model.release();
  rmSync(dir, { recursive: true, force: true });
});

async function complete(extra: Record<string, unknown>): Promise<{ text: string; seed: string | null }> {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'what is in the picture' }], max_tokens: 12, ...extra }),
  });
  const body = (await res.json()) as { choices: { message: { content: string } }[] };
  assert.equal(res.status, 200, JSON.stringify(body));
  return { text: body.choices[0].message.content, seed: res.headers.get(SEED_HEADER) };
}

test('server: unseeded temperature 1 draws a fresh seed per request; the reported seed replays the text', async () => {
  const runs = [await complete({ temperature: 1 }), await complete({ temperature: 1 }), await complete({ temperature: 1 })];
  assert.ok(
    runs.every((r) => r.seed !== null && /^\d+$/.test(r.seed)),
    `every sampled reply reports its seed: ${JSON.stringify(runs)}`,
  );
  assert.equal(new Set(runs.map((r) => r.seed)).size, 3, 'three requests, three seeds');
  assert.ok(new Set(runs.map((r) => r.text)).size > 1, `three unseeded samples should not all be equal: ${JSON.stringify(runs.map((r) => r.text))}`);
  for (const r of runs) {
    const replay = await complete({ temperature: 1, seed: Number(r.seed) });
    assert.equal(replay.text, r.text, `seed ${r.seed} replays its text`);
    assert.equal(replay.seed, r.seed);
  }
  assert.equal((await complete({ temperature: 0 })).seed, null, 'greedy decoding needs no seed');
});

test('server: a streamed sampled reply reports its seed in the headers too', async () => {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], max_tokens: 4, temperature: 0.8, stream: true }),
  });
  assert.match(res.headers.get(SEED_HEADER) ?? '', /^\d+$/);
  await res.text();
});

test('CLI: mm1 generate --temperature 1 reports the seed it drew; --seed with it repeats the text', async () => {
  const run = promisify(execFile);
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'generate',
    '--model',
    modelDir,
    '--prompt',
    'a photo of',
    '--temperature',
    '1',
    '--max-tokens',
    '8',
    '--json',
  ];
  const first = JSON.parse((await run(process.execPath, args)).stdout) as { text: string; seed: number };
  assert.ok(Number.isSafeInteger(first.seed), JSON.stringify(first));
  const again = JSON.parse((await run(process.execPath, [...args, '--seed', String(first.seed)])).stdout) as { text: string; seed: number };
  assert.equal(again.text, first.text);
  assert.equal(again.seed, first.seed);
});
