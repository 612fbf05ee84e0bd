// An HTML page showing samples of every world source beside their text, for people to
// check by eye what a model will be trained and evaluated on (`mm1 data preview`).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../engine/rng.js';
import type { RgbImage, Segment } from '../document.js';
import { downscaleBox, upscaleNearest } from './box_filter.js';
import { captionsFor, denseCaption } from './captions.js';
import { worldConversation } from './conversations.js';
import { worldEvalSets } from './eval_sets.js';
import { renderScene } from './render.js';
import { generateScene, sceneKey } from './scene.js';
import { worldDocument } from './sources.js';
import type { WorldVersion } from './lexicon.js';
import { questionTypesOf, vqaFor } from './vqa.js';

export interface PreviewOptions {
  seed: number;
  outDir: string;
  /** Samples per section. */
  count: number;
  /** World version (default 1). */
  version?: WorldVersion;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const STYLE = `body{font-family:sans-serif;max-width:1100px;margin:20px auto;color:#222}
h2{border-bottom:1px solid #ccc;margin-top:32px} .row{display:flex;gap:16px;margin:12px 0;align-items:flex-start}
img{image-rendering:pixelated;width:128px;height:128px;border:1px solid #999} .text{flex:1;font-size:14px}
.doc{border:1px solid #ddd;padding:8px;margin:10px 0} .doc img{vertical-align:middle;margin:4px}
.small{color:#666;font-size:12px} ul{margin:4px 0;padding-left:20px} code{background:#f4f4f4;word-break:break-word}`;

/** Writes index.html and PNGs under outDir; returns the page's path. */
export async function writeWorldPreview(opts: PreviewOptions): Promise<string> {
  const { seed, outDir, count } = opts;
  const version = opts.version ?? 1;
  await mkdir(path.join(outDir, 'img'), { recursive: true });
  let nImages = 0;
  const png = async (img: RgbImage) => {
    const name = `img/${nImages++}.png`;
    const raw = { width: img.width, height: img.height, channels: 3 as const };
    await sharp(Buffer.from(img.data), { raw }).png().toFile(path.join(outDir, name));
    return `<img src="${name}" title="${img.width}x${img.height}">`;
  };
  const segmentsHtml = async (segments: Segment[]) =>
    (await Promise.all(segments.map((s) => (s.kind === 'image' ? png(s.image) : Promise.resolve(esc(s.text)))))).join(' ');
  const html: string[] = [`<!doctype html><meta charset="utf-8"><title>mm1 world preview (seed ${seed})</title>`];
  html.push(`<style>${STYLE}</style><h1>Synthetic world v${version}, seed ${seed}</h1>`);

  html.push('<h2>Scenes at 128, 64 and 32 pixels, with captions, dense caption and questions</h2>');
  const rng = new Rng(seed).fork('preview');
  for (let i = 0; i < count; i++) {
    const scene = generateScene(rng, { textProbability: 0.6, version });
    const img = renderScene(scene, 128);
    const views = [img, upscaleNearest(downscaleBox(img, 2), 2), upscaleNearest(downscaleBox(img, 4), 4)];
    const pics = (await Promise.all(views.map(png))).join('');
    const qas = vqaFor(scene, rng, questionTypesOf(version)).map(
      (q) => `<li>[${q.questionType}] ${esc(q.question)} → <b>${esc(q.answers.join(', '))}</b></li>`,
    );
    html.push(`<div class="row">${pics}<div class="text"><div class="small"><code>${esc(sceneKey(scene))}</code></div>`);
    html.push(
      `<ul>${captionsFor(scene, rng)
        .map((c) => `<li>${esc(c)}</li>`)
        .join('')}</ul>`,
    );
    html.push(`<p><i>${esc(denseCaption(scene))}</i></p><ul>${qas.join('')}</ul></div></div>`);
  }

  const sections: [string, 'caption' | 'synthetic-caption' | 'interleaved' | 'text'][] = [
    ['Image–caption pairs', 'caption'],
    ['Synthetic (dense) captions', 'synthetic-caption'],
    ['Interleaved documents', 'interleaved'],
    ['Text-only documents', 'text'],
  ];
  for (const [title, kind] of sections) {
    html.push(`<h2>${title} <span class="small">(source "${kind}")</span></h2>`);
    for (let i = 0; i < count; i++) {
      const doc = worldDocument(kind, seed, i, { version });
      html.push(`<div class="doc"><div class="small">${esc(doc.id)}</div>${await segmentsHtml(doc.segments)}</div>`);
    }
  }

  html.push('<h2>Fine-tuning conversations</h2>');
  for (let i = 0; i < count; i++) {
    const conv = worldConversation(seed, i, { version });
    const turns = await Promise.all(conv.turns.map(async (t) => `<p><b>${t.role}:</b> ${await segmentsHtml(t.segments)}</p>`));
    html.push(`<div class="doc"><div class="small">${esc(conv.id)}</div>${turns.join('')}</div>`);
  }

  html.push('<h2>Evaluation items</h2>');
  const sets = worldEvalSets(
    seed,
    {
      captions: count,
      textCaptions: count,
      vqa: count,
      textVqa: count,
      gqa: count,
      vizwiz: count,
      okvqa: count,
      heldoutCaptions: count,
      heldoutVqa: count,
      multipleChoice: count,
      cloze: count,
      openQa: count,
    },
    { version },
  );
  for (const [name, items] of Object.entries(sets)) {
    html.push(`<h3>${name}</h3>`);
    for (const item of items as Record<string, unknown>[]) {
      const { image, scene, id, ...rest } = item;
      void scene;
      const pic = image ? await png(image as RgbImage) : '';
      html.push(`<div class="row">${pic}<div class="text"><div class="small">${esc(String(id))}</div><code>${esc(JSON.stringify(rest))}</code></div></div>`);
    }
  }
  const file = path.join(outDir, 'index.html');
  await writeFile(file, html.join('\n'));
  return file;
}
