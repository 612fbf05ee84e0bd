// The exported site in headless Chromium (Debian's, driven by playwright-core; skipped with
// the reason when /usr/bin/chromium is missing), served from loopback:
//  - a world picture uploaded through the page gets the same greedy tokens as `mm1 generate`;
//  - a few training steps in the tab give the losses of `mm1 pretrain`'s own stages in Node
//    (behind MM1_SLOW: graph export and WASM steps take minutes on a busy machine).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { parsePretrainConfig } from '../../src/train/config.js';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { clipStageSettings } from '../../src/train/clip_stage.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { pretrain } from '../../src/train/pretrain.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { exportWeb } from '../../src/web/export_site.js';
import { tabTrainingConfig } from '../../src/web/tab_training.js';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumSkip, freshProfile } from '../helpers/chromium.js';
import { tinyModelDir, worldPicturePng } from './site_fixture.js';
import { serveDir } from './static_server.js';

const root = mkdtempSync(join(tmpdir(), 'mm1-web-browser-'));
let site: { url: string; close: () => Promise<void> } | undefined;
let browser: BrowserContext | undefined;
let model = '';

before(async () => {
  if (chromiumSkip) return;
  model = await tinyModelDir(root);
  await exportWeb({ model, out: join(root, 'site') });
  site = await serveDir(join(root, 'site'));
  const { chromium } = await import('playwright-core');
  browser = await chromium.launchPersistentContext(freshProfile(root), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1000, height: 800 },
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
  rmSync(root, { recursive: true, force: true });
});

async function openSite(): Promise<Page> {
  const page = await browser!.newPage();
  page.setDefaultTimeout(300_000); // a hang guard: graph export and WASM runs are slow on a loaded 2-core machine
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site!.url}?backend=wasm`);
  await page.waitForFunction(() => document.body.dataset.ready);
  assert.equal(
    await page.evaluate(() => document.body.dataset.ready),
    '1',
    `the page failed to load the model: ${await page.textContent('#status')} ${errors.join('; ')}`,
  );
  return page;
}

test('a picture uploaded to the exported page gets the same greedy tokens as mm1 generate', { skip: chromiumSkip, timeout: 600_000 }, async () => {
  const png = await worldPicturePng(join(root, 'picture.png'));
  const prompt = 'a picture of';
  const cli = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'generate',
    '--model',
    model,
    '--image',
    png,
    '--prompt',
    prompt,
    '--max-tokens',
    '12',
    '--json',
  ]);
  const expected = JSON.parse(cli.stdout) as { text: string; completionTokens: number };

  const page = await openSite();
  assert.equal(await page.textContent('#backend'), 'backend: WASM');
  await page.setInputFiles('#file', png);
  await page.locator('#preview img').waitFor();
  await page.fill('#text', prompt);
  await page.fill('#max-tokens', '12');
  await page.click('#send');
  await page.waitForFunction(() => document.getElementById('output')!.dataset.done);
  const output = page.locator('#output');
  assert.equal(await output.getAttribute('data-done'), '1', `generation failed in the page: ${await output.textContent()}`);
  assert.equal(await output.textContent(), expected.text);
  assert.equal(Number(await output.getAttribute('data-tokens')), expected.completionTokens);
  await page.close();
});

test(
  'training steps in the tab give the losses of mm1 pretrain in Node',
  { skip: chromiumSkip || (process.env.MM1_SLOW ? false : 'set MM1_SLOW=1: a few training steps in WASM take minutes'), timeout: 1_200_000 },
  async () => {
    // The quick start's config, with its stages cut to 2 steps each (the schedule still spans 40).
    const base = tabTrainingConfig(40, 2, 3);
    const config = parsePretrainConfig({
      ...base,
      encoder: { ...base.encoder, clipBatchSize: 8 },
      train: { ...base.train, batchSize: 2, seqLen: 128, maxImages: 2 },
    });
    const tokenizer = worldTokenizer(config.data.version);
    const vision = resolveModelConfig(config, tokenizer.vocabSize).vision;
    const clip = await clipPretrain({ ...clipStageSettings(config, vision, tokenizer), out: join(root, 'clip'), quiet: true });
    await pretrain({ config, out: join(root, 'run'), quiet: true, stopAfter: 2 });
    const nodeLosses = readFileSync(join(root, 'run', 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { loss: number }).loss);

    const page = await openSite();
    const tab = await page.evaluate(
      async (c) =>
        (globalThis as unknown as { mm1: { train(c: unknown, stopAfter: number): Promise<{ clipLosses: number[]; losses: number[] }> } }).mm1.train(c, 2),
      config,
    );
    await page.close();
    const close = (a: number[], b: number[], what: string) => {
      assert.equal(b.length, 2, `${what}: Node ran 2 steps`);
      assert.equal(a.length, b.length, what);
      a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 1e-4 * Math.max(1, Math.abs(b[i])), `${what} step ${i + 1}: tab ${x}, Node ${b[i]}`));
    };
    close(tab.clipLosses, clip.losses, 'CLIP stage');
    close(tab.losses, nodeLosses, 'pretraining');
    assert.ok(tab.losses[0] > 1, `a fresh model's loss is large (got ${tab.losses[0]})`);
  },
);

test(
  'the training panel trains, stops on request, and its download loads in mm1 generate with the same greedy text',
  { skip: chromiumSkip || (process.env.MM1_SLOW ? false : 'set MM1_SLOW=1: training in WASM takes minutes'), timeout: 1_200_000 },
  async () => {
    const page = await openSite();
    await page.fill('#clip-steps', '2');
    await page.fill('#train-steps', '40');
    await page.click('#train-start');
    await page.waitForFunction(() => /pretrain step 2\//.test(document.getElementById('train-status')!.textContent ?? ''));
    await page.click('#train-stop');
    await page.waitForFunction(() => document.body.dataset.trained === '1');
    assert.equal(await page.locator('#captions img').count(), 3, 'three held-out pictures are captioned');
    assert.ok((await page.locator('#loss-curve polyline').count()) === 2, 'a loss line per stage');

    const folder = join(root, 'downloaded');
    const saved: string[] = [];
    page.on('download', (d) => void d.saveAs(join(folder, d.suggestedFilename())).then(() => saved.push(d.suggestedFilename())));
    await page.click('#train-download');
    for (let i = 0; i < 600 && saved.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(saved.sort(), ['config.json', 'model.safetensors', 'tokenizer.json']);
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { trainedSteps: number };
    assert.ok(config.trainedSteps >= 2 && config.trainedSteps < 40, `stopped early, after ${config.trainedSteps} steps`);

    // The chat switched to the tab's model answers as mm1 generate does with the downloaded files.
    const png = await worldPicturePng(join(root, 'picture2.png'), 11);
    const cli = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'generate',
      '--model',
      folder,
      '--image',
      png,
      '--prompt',
      '',
      '--max-tokens',
      '8',
      '--json',
    ]);
    await page.click('#train-use');
    await page.setInputFiles('#file', png);
    await page.locator('#preview img').waitFor();
    await page.fill('#text', '');
    await page.fill('#max-tokens', '8');
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('output')!.dataset.done);
    assert.equal(await page.textContent('#output'), (JSON.parse(cli.stdout) as { text: string }).text);
    await page.close();
  },
);
