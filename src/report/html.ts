// Small helpers for self-contained HTML reports (no external assets: they open offline).
import sharp from 'sharp';
import type { RgbImage } from '../data/document.js';

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A PNG data URL of an RGB image, upscaled with nearest-neighbour to `display` px so small pictures stay crisp. */
export async function imageDataUrl(img: RgbImage, display = 128): Promise<string> {
  const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 3 },
  })
    .resize(display, display, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}
.good{color:#0a7a2f;font-weight:600}.bad{color:#b00020}.muted{color:#777}
.samples{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:14px}
.sample{border:1px solid #ddd;border-radius:6px;padding:8px}.sample img{image-rendering:pixelated;display:block;margin-bottom:6px}
code,pre{background:#f6f6f6;padding:2px 4px;border-radius:3px}
</style></head><body>
${body}
</body></html>
`;
}
