// The README's picture of the exported page (docs/web-page.png): export a model, serve the
// site on loopback, caption a held-out world picture in headless Chromium, train a few steps
// in the tab, and screenshot while it trains. Usage:
//   node --import tsx scripts/web_screenshot.ts runs/quickstart/model docs/web-page.png
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { exportWeb } from '../src/web/export_site.js';
import { CHROMIUM, CHROMIUM_FLAGS, freshProfile } from '../test/helpers/chromium.js';
import { worldPicturePng } from '../test/web/site_fixture.js';
import { serveDir } from '../test/web/static_server.js';

const [model, out] = process.argv.slice(2);
if (!model || !out) throw new Error('usage: scripts/web_screenshot.ts <model dir> <out.png>');
const dir = mkdtempSync(join(tmpdir(), 'mm1-shot-'));
try {
  await exportWeb({ model, out: join(dir, 'site') });
  const site = await serveDir(join(dir, 'site'));
  const browser = await chromium.launchPersistentContext(freshProfile(dir), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1000, height: 760 },
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(1_800_000);
  await page.goto(site.url);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.setInputFiles('#file', await worldPicturePng(join(dir, 'picture.png')));
  await page.click('#send');
  await page.waitForFunction(() => document.getElementById('output')!.dataset.done === '1');
  await page.fill('#clip-steps', '20');
  await page.fill('#train-steps', '900');
  await page.click('#train-start');
  await page.waitForFunction(() => /pretrain step 6\//.test(document.getElementById('train-status')!.textContent ?? ''));
  await page.screenshot({ path: out, fullPage: true }); // mid-training: the loss curve of both stages
  await browser.close();
  await site.close();
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
