// The chat page in headless Chromium: upload a PNG, send a message, see the streamed reply
// next to the uploaded image. Runs when /usr/bin/chromium exists (skipped with the reason
// printed when not). Leaves a screenshot in os.tmpdir() to look at.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumSkip, freshProfile } from '../helpers/chromium.js';
import { EchoModel } from './echo_model.js';
import { solidPng, startTestServer } from './helpers.js';

test('chat page: upload an image, send a message, the reply streams in', { skip: chromiumSkip, timeout: 180_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'mm1-page-'));
  const png = join(dir, 'orange.png');
  writeFileSync(png, await solidPng([255, 140, 0], 64));
  // The model holds its second word until the page has shown the first, so "the reply grows in
  // pieces" does not depend on how fast a loaded machine renders (a timing race before).
  let firstShown!: () => void;
  const shown = new Promise<void>((resolve) => (firstShown = resolve));
  const model = new EchoModel({ stepMs: 40, afterFirstPiece: () => shown });
  const server = await startTestServer({ model });
  // A persistent context is how playwright takes a --user-data-dir: a fresh one each run.
  const browser = await chromium.launchPersistentContext(freshProfile(dir), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport: { width: 800, height: 600 },
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(90_000); // a hang guard: a busy 2-core machine starts pages slowly
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.locator('#model', { hasText: 'mm1-echo' }).waitFor();
    await page.setInputFiles('#file', png);
    await page.locator('#preview img').waitFor();
    // Streaming: the reply appears piece by piece. Every text the reply shows is recorded as
    // the DOM changes (not by polling, which a busy machine could make miss the pieces).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.msg.assistant span')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.fill('#text', 'What colour is this?');
    await page.press('#text', 'Enter');
    await page.waitForFunction(() => (document.querySelector('.msg.assistant span')?.textContent ?? '') !== '');
    firstShown();
    const expected = 'I see 1 image rgb(255,140,0) and you said: What colour is this?';
    await page.waitForFunction((t) => document.querySelector('.msg.assistant span')?.textContent === t, expected);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    assert.ok(
      seen.every((t) => expected.startsWith(t)),
      `every text shown is a prefix of the reply: ${JSON.stringify(seen)}`,
    );
    assert.ok(seen.length >= 2 && seen[0].length < expected.length, `the reply should grow in pieces, saw ${JSON.stringify(seen)}`);
    assert.equal(await page.locator('.msg.user img').count(), 1);
    const shot = join(dir, 'chat-page.png');
    await page.screenshot({ path: shot });
    console.log(`chat page screenshot: ${shot}`);
    // A second turn carries the history (the image stays in the conversation).
    await page.fill('#text', 'and again?');
    await page.press('#text', 'Enter');
    await page.waitForFunction(
      () => document.querySelectorAll('.msg.assistant').length === 2 && !(document.querySelector('#send') as HTMLButtonElement).disabled,
    );
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
