// The exported site's one script: esbuild bundles the page (web/page/main.ts) with the very
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
    build.onResolve({ filter: /(^|\/)session\.js$/ }, (a) => (resolve(a.resolveDir, a.path).replace(/\.js$/, `.${ext}`) === nodeSession ? { path: session } : undefined));
    build.onResolve({ filter: /^(node:.*|sharp)$/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get: (_, name) => name === '__esModule' ? false : () => { throw new Error(${JSON.stringify(a.path)} + '.' + String(name) + ' is not available in the browser page (file IO happens in Node only)'); } });`,
    }));
  },
};

export interface BundleResult {
  /** The bundle's bytes (ESM). */
  code: Uint8Array;
  warnings: string[];
}

/** Bundle the page's entry (web/page/main) for the browser: one ESM file, minified. */
export async function bundlePage(): Promise<BundleResult> {
  const entry = here(`./page/main.${ext}`);
  if (!existsSync(entry)) throw new Error(`export web: the page's source ${entry} is missing; reinstall mm1`);
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins: [browserSwaps],
  });
  return { code: r.outputFiles[0].contents, warnings: r.warnings.map((w) => w.text) };
}
