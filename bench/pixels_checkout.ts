// The pictures' two costs on their own, through the code of two checkouts in turn (A B A B in one
// process): drawing world scenes (world/render.ts renderScene) and shrinking and normalising them
// to the encoder's side (resize.ts resizeNormalizeInto), each round over the same pictures, in
// CPU milliseconds of the main thread (bench/thread_cpu.ts), every output's bytes compared. A
// component's change is judged here before the whole stream (bench/pipeline_checkout.ts).
// Prints per part: each side's median CPU ms per round, new/old as the median of the rounds'
// paired ratios, and whether every byte matched.
// node --import tsx bench/pixels_checkout.ts <old checkout root> [rounds] [scenes] [from px] [to px]
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../src/data/document.js';
import { Rng } from '../src/engine/rng.js';
import { importFrom } from './checkout.js';
import { median } from './engine.js';
import { CPU_CLOCK, threadCpuMs } from './thread_cpu.js';

interface Pixels {
  generateScene: (rng: Rng, opts: { version: 2 }) => unknown;
  renderScene: (scene: unknown, size: number) => RgbImage;
  resizeNormalizeInto: (image: RgbImage, w: number, h: number, out: Float32Array, offset: number, mean: readonly number[], std: readonly number[]) => void;
  CLIP_MEAN: readonly number[];
  CLIP_STD: readonly number[];
}

async function pixelsAt(root: string): Promise<Pixels> {
  return {
    ...(await importFrom<Pick<Pixels, 'generateScene' | 'renderScene'>>(root, 'src/data/world/index.ts')),
    ...(await importFrom<Pick<Pixels, 'resizeNormalizeInto'>>(root, 'src/data/resize.ts')),
    ...(await importFrom<Pick<Pixels, 'CLIP_MEAN' | 'CLIP_STD'>>(root, 'src/data/normalize.ts')),
  };
}

/** One round of a part through one checkout: its CPU ms and its outputs' digest. */
type Part = () => { ms: number; digest: string };

function renderPart(p: Pixels, scenes: unknown[], side: number): Part {
  return () => {
    const h = createHash('sha256');
    const pictures: RgbImage[] = [];
    const t = threadCpuMs();
    for (const s of scenes) pictures.push(p.renderScene(s, side));
    const ms = threadCpuMs() - t;
    for (const q of pictures) h.update(q.data);
    return { ms, digest: h.digest('hex') };
  };
}

function resizePart(p: Pixels, pictures: RgbImage[], to: number): Part {
  const out = new Float32Array(pictures.length * 3 * to * to);
  return () => {
    const t = threadCpuMs();
    for (let i = 0; i < pictures.length; i++) p.resizeNormalizeInto(pictures[i], to, to, out, i * 3 * to * to, p.CLIP_MEAN, p.CLIP_STD);
    const ms = threadCpuMs() - t;
    return { ms, digest: createHash('sha256').update(new Uint8Array(out.buffer)).digest('hex') };
  };
}

function compare(label: string, oldPart: Part, newPart: Part, rounds: number) {
  oldPart(); // warm-up: JIT, taps caches
  newPart();
  const [before, after] = [[] as number[], [] as number[]];
  let same = true;
  for (let r = 0; r < rounds; r++) {
    const a = oldPart();
    const b = newPart();
    before.push(a.ms);
    after.push(b.ms);
    same &&= a.digest === b.digest;
  }
  const paired = median(after.map((a, i) => a / before[i]));
  return {
    part: label,
    old_cpu_ms: +median(before).toFixed(2),
    new_cpu_ms: +median(after).toFixed(2),
    new_over_old: +paired.toFixed(3),
    same_bytes: same,
    rounds,
    cpu_clock: CPU_CLOCK,
  };
}

export async function benchPixelsCheckout(oldRoot: string, rounds = 20, count = 300, from = 128, to = 64) {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const [oldP, newP] = [await pixelsAt(oldRoot), await pixelsAt(here)];
  const rng = new Rng(16);
  const scenes = Array.from({ length: count }, () => newP.generateScene(rng, { version: 2 }));
  const pictures = scenes.map((s) => newP.renderScene(s, from));
  return [
    compare(`render ${count} v2 scenes at ${from} px`, renderPart(oldP, scenes, from), renderPart(newP, scenes, from), rounds),
    compare(`resize and normalise ${count} pictures ${from} → ${to} px`, resizePart(oldP, pictures, to), resizePart(newP, pictures, to), rounds),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root, ...rest] = process.argv.slice(2);
  if (!root) throw new Error('usage: node --import tsx bench/pixels_checkout.ts <old checkout root> [rounds] [scenes] [from px] [to px]');
  const [rounds, count, from, to] = rest.map(Number);
  for (const r of await benchPixelsCheckout(root, rounds || 20, count || 300, from || 128, to || 64)) console.log(JSON.stringify(r));
}
