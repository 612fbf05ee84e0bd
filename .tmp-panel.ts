import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { serveDir } from './test/web/static_server.ts';
import { CHROMIUM, CHROMIUM_FLAGS, freshProfile } from './test/helpers/chromium.ts';
const srv = await serveDir(process.argv[2]);
const ctx = await chromium.launchPersistentContext(freshProfile(mkdtempSync('/tmp/web-prof-')), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
const page = await ctx.newPage(); page.setDefaultTimeout(900000);
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(srv.url + '?backend=wasm'); await page.waitForFunction(() => document.body.dataset.ready);
await page.fill('#clip-steps', '2'); await page.fill('#train-steps', '40');
await page.click('#train-start');
const t0 = Date.now();
let stopped = false;
for (let i = 0; i < 200; i++) {
  await new Promise((r) => setTimeout(r, 5000));
  const st = await page.evaluate(() => [document.getElementById('train-status')!.textContent, document.body.dataset.trained]);
  console.log(((Date.now() - t0) / 1000).toFixed(0), st);
  if (!stopped && /pretrain step 2\//.test(st[0] ?? '')) { await page.click('#train-stop'); stopped = true; console.log('clicked stop'); }
  if (st[1] === '1' || /failed/.test(st[0] ?? '')) break;
}
await page.screenshot({ path: '/tmp/web-panel.png', fullPage: true });
await ctx.close(); await srv.close();
