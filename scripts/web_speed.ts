// docs/web.md's speed table: the exported page (headless Chromium, WASM, one thread) and Node
// (onnxruntime-node, one thread) side by side on the same model, picture and training config.
// Usage: node --import tsx scripts/web_speed.ts <exported site> <its model dir>
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { readImageFile } from '../src/data/image.js';
import { loadModel } from '../src/model/infer/load.js';
import { tabTrainingConfig, trainInTab } from '../src/web/tab_training.js';
import { CHROMIUM, CHROMIUM_FLAGS, freshProfile } from '../test/helpers/chromium.js';
import { worldPicturePng } from '../test/web/site_fixture.js';
import { serveDir } from '../test/web/static_server.js';

const [siteDir, modelDir] = process.argv.slice(2);
if (!siteDir || !modelDir) throw new Error('usage: scripts/web_speed.ts <exported site> <model dir>');
const tmp = mkdtempSync(join(tmpdir(), 'mm1-web-speed-'));
const png = await worldPicturePng(join(tmp, 'picture.png'));
const site = await serveDir(siteDir);
const browser = await chromium.launchPersistentContext(freshProfile(tmp), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(1_800_000);
  await page.goto(`${site.url}?backend=wasm`);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.setInputFiles('#file', png);
  await page.locator('#preview img').waitFor();
  await page.fill('#max-tokens', '32');
  for (let i = 0; i < 3; i++) {
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('output')!.dataset.done);
    console.log(`browser generate ${i + 1}: ${await page.textContent('#stats')}`);
  }
  const model = await loadModel(modelDir, { threads: 1 });
  const image = await readImageFile(png);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const [g] = await model.generate([{ segments: [{ kind: 'image', image }] }], { maxNewTokens: 32, temperature: 0 });
    const s = (performance.now() - t0) / 1000;
    console.log(`node generate ${i + 1} (1 thread): ${g.completionTokens} tokens in ${s.toFixed(2)} s = ${(g.completionTokens / s).toFixed(1)} tokens/s`);
  }
  await model.release();
  // 3 CLIP steps then 3 pretraining steps; each stage's first step includes building its graph.
  const config = tabTrainingConfig(40, 3, 0);
  const nodeMs: number[] = [];
  let last = performance.now();
  await trainInTab({ config, stopAfter: 3, threads: 1, onStep: () => void nodeMs.push(-last + (last = performance.now())) });
  console.log(`node train step ms (1 thread): ${nodeMs.map((t) => t.toFixed(0)).join(', ')}`);
  const tab = await page.evaluate(
    async (c) => (globalThis as unknown as { mm1: { train(c: unknown, n: number): Promise<{ stepMs: number[] }> } }).mm1.train(c, 3),
    config,
  );
  console.log(`tab train step ms: ${tab.stepMs.map((t) => t.toFixed(0)).join(', ')}`);
} finally {
  await browser.close();
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
}
