// `mm1 export web`: a static site that runs a trained model in the browser tab. Layout:
//   index.html   the page (chat, model card, training in the tab)
//   mm1.js       one esbuild bundle of the page and the modules Node runs (web/bundle.ts),
//   train_worker.js  and one of the training panel's worker
//   ort/         onnxruntime-web's .wasm files, copied from the npm package (no CDN)
//   model/       config.json, model.safetensors, tokenizer.json, exactly as in the model directory
//   card.json    the model card (web/model_card.ts)
// The page builds the vision tower, prefill and decode graphs with the KV cache from
// model/config.json with the same TypeScript as `mm1 generate` and runs them on onnxruntime-web.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { readModelDir } from '../model/io/model_dir.js';
import { bundlePage } from './bundle.js';
import { modelCard } from './model_card.js';
import { pageHtml } from './page_html.js';

/** The model files the page fetches, copied unchanged. */
export const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

export interface ExportWebOptions {
  model: string;
  out: string;
  /** Replace a site exported into `out` before (default: refuse). Other non-empty folders are always refused. */
  force?: boolean;
}

export interface ExportWebResult {
  files: { path: string; bytes: number }[];
}

/**
 * The build of onnxruntime-web's default browser entry (JSEP: the WASM kernels plus the WebGPU
 * provider): its .wasm and the .mjs that loads it. The package ships three other builds
 * (~60 MB) the page never fetches.
 */
const ORT_FILES = ['ort-wasm-simd-threaded.jsep.wasm', 'ort-wasm-simd-threaded.jsep.mjs'];

/** onnxruntime-web's dist folder, where its .wasm files ship. */
function ortWebDist(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web')); // dist/ort.min.js: the package exports no package.json
}

export async function exportWeb(o: ExportWebOptions): Promise<ExportWebResult> {
  const model = await readModelDir(o.model); // checks the directory before anything is written
  const out = resolve(o.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    // --force replaces only a site this command wrote: never a folder of other files given by mistake.
    const earlierSite = existsSync(join(out, 'mm1.js')) && existsSync(join(out, 'card.json'));
    if (!earlierSite) throw new Error(`export web: ${out} is not empty and holds no exported site; choose an empty or new --out`);
    if (!o.force) throw new Error(`export web: ${out} holds an exported site; pass --force to replace it, or choose another --out`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(join(out, 'model'), { recursive: true });
  mkdirSync(join(out, 'ort'), { recursive: true });
  const files: ExportWebResult['files'] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    writeFileSync(join(out, rel), data);
    files.push({ path: rel, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength });
  };
  const copy = (from: string, rel: string) => {
    copyFileSync(from, join(out, rel));
    files.push({ path: rel, bytes: statSync(join(out, rel)).size });
  };
  for (const f of MODEL_FILES) copy(join(o.model, f), `model/${f}`);
  for (const f of ORT_FILES) copy(join(ortWebDist(), f), `ort/${f}`);
  for (const [name, code] of Object.entries(await bundlePage())) write(name, code);
  const name = basename(resolve(o.model)) === 'model' ? basename(dirname(resolve(o.model))) : basename(resolve(o.model));
  write('card.json', JSON.stringify(modelCard(model, name), null, 2) + '\n');
  write('index.html', pageHtml(name));
  return { files };
}
