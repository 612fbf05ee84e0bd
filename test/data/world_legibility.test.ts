// Resolution matters in this world: a template reader reads the written word at 128 pixels
// and drops to chance once the picture has been through 32 pixels, while shapes stay
// recognisable at 64 and mostly at 32.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { Rng } from '../../src/engine/rng.js';
import { downscaleBox, upscaleNearest } from '../../src/data/world/box_filter.js';
import { BACKGROUND_RGB, COLORS, COLOR_RGB, SHAPES } from '../../src/data/world/lexicon.js';
import { readWord } from '../../src/data/world/reader.js';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene, type Scene } from '../../src/data/world/scene.js';

const through = (img: RgbImage, factor: number) => upscaleNearest(downscaleBox(img, factor), factor);

test('box filter averages blocks exactly', () => {
  const img: RgbImage = { width: 2, height: 2, data: new Uint8Array([0, 0, 0, 10, 20, 30, 100, 100, 100, 255, 255, 255]) };
  assert.deepEqual([...downscaleBox(img, 2).data], [Math.round(365 / 4), Math.round(375 / 4), Math.round(385 / 4)]);
  assert.deepEqual([...upscaleNearest(downscaleBox(img, 2), 2).data].slice(0, 6), [91, 94, 96, 91, 94, 96]);
});

test('the written word is read at 128 px and not after passing through 32 px', () => {
  const rng = new Rng(31);
  const n = 40;
  let at128 = 0;
  let at32 = 0;
  for (let i = 0; i < n; i++) {
    const scene = generateScene(rng, { requireText: true });
    const img = renderScene(scene, 128);
    if (readWord(img).word === scene.text!.word) at128++;
    if (readWord(through(img, 4)).word === scene.text!.word) at32++;
  }
  assert.ok(at128 / n >= 0.95, `reads only ${at128}/${n} words at 128 px`);
  assert.ok(at32 / n <= 0.2, `still reads ${at32}/${n} words through 32 px (chance is 1/20)`);
});

/** How much of each pixel is `fg` rather than `bg`, in [0, 1] (colour-free shape mask). */
function coverage(img: RgbImage, bg: readonly number[], fg: readonly number[]): Float64Array {
  const out = new Float64Array(img.width * img.height);
  const norm = fg.reduce((s, v, c) => s + (v - bg[c]) ** 2, 0);
  for (let i = 0; i < out.length; i++) {
    let dot = 0;
    for (let c = 0; c < 3; c++) dot += (img.data[3 * i + c] - bg[c]) * (fg[c] - bg[c]);
    out[i] = Math.min(1, Math.max(0, dot / norm));
  }
  return out;
}

/**
 * Names the shape of a one-object scene seen at 128/factor px by comparing its mask with the
 * six shapes drawn in another colour and displaced by a fraction of a pixel (so no template
 * is an exact copy), allowing whole-pixel shifts.
 */
function classifyShape(scene: Scene, factor: number): string {
  const o = scene.objects[0];
  const bg = BACKGROUND_RGB[scene.background.color];
  const seen = coverage(downscaleBox(renderScene(scene, 128), factor), bg, COLOR_RGB[o.color]);
  const other = COLORS.find((c) => c !== o.color && c !== scene.background.color)!;
  const side = 128 / factor;
  let best = '';
  let bestDist = Infinity;
  for (const shape of SHAPES) {
    const moved = { ...o, shape, color: other, x: o.x + 0.4 / side, y: o.y + 0.3 / side };
    const ref = coverage(downscaleBox(renderScene({ ...scene, objects: [moved] }, 128), factor), bg, COLOR_RGB[other]);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        let d = 0;
        for (let y = 1; y < side - 1; y++) {
          for (let x = 1; x < side - 1; x++) d += (ref[(y + dy) * side + x + dx] - seen[y * side + x]) ** 2;
        }
        if (d < bestDist) [best, bestDist] = [shape, d];
      }
    }
  }
  return best;
}

test('shapes stay recognisable at 64 px and mostly at 32 px', () => {
  const rng = new Rng(32);
  const n = 60;
  let at64 = 0;
  let at32 = 0;
  for (let i = 0; i < n; i++) {
    const scene = generateScene(rng, { maxObjects: 1, textProbability: 0 });
    // textured backgrounds are noise to a template matcher; shape alone is the question here
    const plain = { ...scene, background: { ...scene.background, style: 'plain' as const } };
    if (classifyShape(plain, 2) === plain.objects[0].shape) at64++;
    if (classifyShape(plain, 4) === plain.objects[0].shape) at32++;
  }
  assert.ok(at64 / n >= 0.95, `${at64}/${n} at 64 px`);
  assert.ok(at32 / n >= 0.8, `${at32}/${n} at 32 px`);
});
