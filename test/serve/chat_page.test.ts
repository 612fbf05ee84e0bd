// The chat page in headless Chromium: upload a PNG, send a message, see the streamed reply
// next to the uploaded image. Slow (starts a browser): runs with MM1_SLOW=1 when
// /usr/bin/chromium exists. Leaves a screenshot in os.tmpdir() to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EchoModel } from './echo_model.js';
import { solidPng, startTestServer } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !process.env.MM1_SLOW ? 'slow: set MM1_SLOW=1' : !existsSync(CHROMIUM) ? `no ${CHROMIUM} (apt-get install -y chromium)` : false;

test('chat page: upload an image, send a message, the reply streams in', { skip, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'mm1-page-'));
  const png = join(dir, 'orange.png');
  writeFileSync(png, await solidPng([255, 140, 0], 64));
  const model = new EchoModel({ stepMs: 40 });
  const server = await startTestServer({ model });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.locator('#model', { hasText: 'mm1-echo' }).waitFor();
    await page.setInputFiles('#file', png);
    await page.locator('#preview img').waitFor();
    await page.fill('#text', 'What colour is this?');
    await page.press('#text', 'Enter');
    // Streaming: the reply appears piece by piece before it is complete.
    const reply = page.locator('.msg.assistant span');
    await page.waitForFunction(() => (document.querySelector('.msg.assistant span')?.textContent ?? '').length > 0);
    const partial = await reply.textContent();
    const expected = 'I see 1 image rgb(255,140,0) and you said: What colour is this?';
    await page.waitForFunction((t) => document.querySelector('.msg.assistant span')?.textContent === t, expected);
    assert.ok(partial!.length < expected.length, `first seen "${partial}" should be a prefix while streaming`);
    assert.ok(expected.startsWith(partial!));
    assert.equal(await page.locator('.msg.user img').count(), 1);
    const shot = join(dir, 'chat-page.png');
    await page.screenshot({ path: shot });
    console.log(`chat page screenshot: ${shot}`);
    // A second turn carries the history (the image stays in the conversation).
    await page.fill('#text', 'and again?');
    await page.press('#text', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('.msg.assistant').length === 2 && !(document.querySelector('#send') as HTMLButtonElement).disabled);
    assert.equal(await page.locator('.msg.assistant span').nth(1).textContent(), 'I see 1 image rgb(255,140,0) and you said: and again?');
    // A refused request shows the server's message.
    await page.setInputFiles('#file', { name: 'bad.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
    await page.fill('#text', 'this one is broken');
    await page.press('#text', 'Enter');
    await page.locator('.msg.error', { hasText: 'Cannot decode image' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
