// The exported site's scripts: esbuild bundles the page (web/page/main.ts, and its training
// worker web/page/train_worker.ts) with the very
// modules Node runs — the graph builder, the KV-cache generator, sampling, the tokenizer, the
// prompt templates, image preprocessing, TrainStep and the synthetic world — for the browser.
// Two substitutions make that possible without a browser copy of anything:
//  - engine/session.ts (onnxruntime-node) resolves to web/browser_session.ts (onnxruntime-web);
//  - Node built-ins and sharp, imported by modules that mix pure code with file IO
//    (engine/safetensors.ts, data/tokenizer.ts, data/image.ts, model/model_dir.ts), resolve to
//    a stub whose every function throws, naming itself: the page calls only their pure parts
//    (decodeSafetensors, tokenizerFromJson, the pixel operations), so a call to file IO from the
//    page would fail loudly rather than silently.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** Running from source (tsx) the modules are .ts; from the built package, .js. */
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

const browserSwaps: esbuild.Plugin = {
  name: 'mm1-browser-swaps',
  setup(build) {
    const session = here(`./browser_session.${ext}`);
    const nodeSession = here(`../engine/session.${ext}`);
    build.onResolve({ filter: /(^|\/)session\.js$/ }, (a) =>
      resolve(a.resolveDir, a.path).replace(/\.js$/, `.${ext}`) === nodeSession ? { path: session } : undefined,
    );
    build.onResolve({ filter: /^(node:.*|sharp)$/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get: (_, name) => name === '__esModule' ? false : () => { throw new Error(${JSON.stringify(a.path)} + '.' + String(name) + ' is not available in the browser page (file IO happens in Node only)'); } });`,
    }));
  },
};

/** The page's script and its training worker's (web/page/train_worker.ts), by output file name. */
export const BUNDLES = { 'mm1.js': 'main', 'train_worker.js': 'train_worker' } as const;

/** Bundle the page's entries for the browser: one minified ESM file each, by output name. */
export async function bundlePage(): Promise<Record<keyof typeof BUNDLES, Uint8Array>> {
  const entries = Object.fromEntries(Object.values(BUNDLES).map((name) => [name, here(`./page/${name}.${ext}`)]));
  for (const file of Object.values(entries)) if (!existsSync(file)) throw new Error(`export web: the page's source ${file} is missing; reinstall mm1`);
  const r = await esbuild.build({
    entryPoints: entries,
    outdir: 'site', // names the outputs only: write is false
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins: [browserSwaps],
  });
  const byName = (name: string) => r.outputFiles.find((f) => f.path.endsWith(`/${name}.js`))!.contents;
  return { 'mm1.js': byName('main'), 'train_worker.js': byName('train_worker') };
}
