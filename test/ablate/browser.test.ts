// Opens a generated report.html in headless Chromium and checks that the figure is drawn:
// the vega category colours of both encoder lines must cover a visible number of pixels.
// Slow (a browser start) and needs chromium: runs with MM1_SLOW=1 when chromium is installed.
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
import { syntheticRunner } from './synthetic_runner.js';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const chromium = findChromium();
const skip = !process.env.MM1_SLOW ? 'set MM1_SLOW=1 to run' : !chromium ? 'chromium is not installed' : false;

test('report.html shows its figure in a real browser', { skip, timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-browser-'));
  const o = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: syntheticRunner(), salt: 'x' });
  const png = process.env.MM1_SCREENSHOT ?? join(out, 'screenshot.png');
  execFileSync(
    chromium!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${join(out, 'profile')}`, '--window-size=1200,1400', `--screenshot=${png}`, pathToFileURL(o.files.html).href],
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
