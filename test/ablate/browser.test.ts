// Opens a generated report.html in headless Chromium and checks that the figure is drawn:
// the vega category colours of both encoder lines must cover a visible number of pixels.
// Runs when /usr/bin/chromium is installed (skipped with the reason printed when not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { runStudy } from '../../src/ablate/run_study.js';
import { encoderStudy } from '../../src/ablate/studies/encoder.js';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumSkip, freshProfile } from '../helpers/chromium.js';
import { syntheticRunner } from './synthetic_runner.js';

test('report.html shows its figure in a real browser', { skip: chromiumSkip, timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-browser-'));
  const o = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: syntheticRunner(), salt: 'x' });
  const png = process.env.MM1_SCREENSHOT ?? join(out, 'screenshot.png');
  execFileSync(
    CHROMIUM,
    [
      ...CHROMIUM_FLAGS,
      '--hide-scrollbars',
      `--user-data-dir=${freshProfile(out)}`,
      '--window-size=1200,1400',
      `--screenshot=${png}`,
      pathToFileURL(o.files.html).href,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const near = (r: number, g: number, b: number) => {
    let n = 0;
    for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
    return n;
  };
  // vega's category10: #4c78a8 (encoder small), #f58518 (encoder large).
  const blue = near(0x4c, 0x78, 0xa8);
  const orange = near(0xf5, 0x85, 0x18);
  assert.ok(info.width === 1200 && info.height === 1400, `${info.width}×${info.height}`);
  assert.ok(blue > 300 && orange > 300, `line pixels: blue ${blue}, orange ${orange} (screenshot ${png})`);
});
