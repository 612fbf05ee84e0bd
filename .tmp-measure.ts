// Side-by-side speeds: the exported page (WASM, headless Chromium) vs Node on the same model / config.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { loadModel } from './src/model/load.ts';
import { readImageFile } from './src/data/image.ts';
import { trainInTab, tabTrainingConfig } from './src/web/tab_training.ts';
import { serveDir } from './test/web/static_server.ts';
import { CHROMIUM, CHROMIUM_FLAGS, freshProfile } from './test/helpers/chromium.ts';
const site = process.argv[2], modelDir = process.argv[3], png = '/tmp/web-pic.png';
const srv = await serveDir(site);
const ctx = await chromium.launchPersistentContext(freshProfile(mkdtempSync('/tmp/web-prof-')), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
const page = await ctx.newPage(); page.setDefaultTimeout(900000);
await page.goto(srv.url + '?backend=wasm'); await page.waitForFunction(() => document.body.dataset.ready);
await page.setInputFiles('#file', png); await page.locator('#preview img').waitFor();
await page.fill('#max-tokens', '32');
const browserRuns: string[] = [];
for (let i = 0; i < 3; i++) {
  await page.click('#send'); await page.waitForFunction(() => document.getElementById('output')!.dataset.done);
  browserRuns.push((await page.textContent('#stats'))!);
  // next run must wait for the done flag to be cleared by send()
}
console.log('browser generate:', browserRuns.join(' | '));
const model = await loadModel(modelDir, { threads: 1 });
const image = await readImageFile(png);
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const [g] = await model.generate([{ segments: [{ kind: 'image', image }] }], { maxNewTokens: 32, temperature: 0 });
  const s = (performance.now() - t0) / 1000;
  console.log(`node generate (1 thread): ${g.completionTokens} tokens in ${s.toFixed(2)} s = ${(g.completionTokens / s).toFixed(1)} tok/s`);
}
await model.release();
const cfg = tabTrainingConfig(40, 3, 0);
const times = async (label: string, run: (c: unknown) => Promise<number[]>) => console.log(label, (await run(cfg)).map((t) => t.toFixed(0)).join(' ms, '), 'ms per step');
for (const threads of [1, 2]) await times(`node train step times (${threads} threads)`, async () => { const ts: number[] = []; let last = performance.now(); await trainInTab({ config: cfg, stopAfter: 3, threads, onStep: () => { const n = performance.now(); ts.push(n - last); last = n; } }); return ts; });
await times('tab train step times', async (c) => (await page.evaluate(async (c) => (globalThis as any).mm1.train(c, 3), c)).stepMs);
await ctx.close(); await srv.close();
