// `mm1 export web`: a trained model as a static site that chats and trains in a browser tab.
import type { Command } from 'commander';
import { exportWeb } from '../../web/export_site.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function register(program: Command): void {
  const exp = program.command('export').description('Export a trained model for other runtimes.');
  exp
    .command('web')
    .description(
      'Write a static site that runs the model in the browser tab with onnxruntime-web (WebGPU where the browser offers it, ' +
        'WASM otherwise): chat with a picture (file picker or drag-and-drop), streamed tokens, greedy or sampled decoding, ' +
        'the model card, and training a tiny model in the tab. Nothing is sent anywhere: any static file server can host it.',
    )
    .requiredOption('--model <dir>', 'trained model directory: the model/ folder of a run, e.g. runs/quickstart/model')
    .requiredOption('--out <dir>', 'folder to write the site into: new, empty, or a site exported before (with --force)')
    .option('--force', 'replace a site exported into --out before', false)
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  mm1 export web --model runs/quickstart/model --out site',
        '  python3 -m http.server -d site 8000     # or any static server; then open http://localhost:8000',
        '',
        'Add ?backend=wasm to the page URL to skip WebGPU. Hosting, threads and sizes: docs/web.md.',
      ].join('\n'),
    )
    .action(async (o: { model: string; out: string; force: boolean }) => {
      const { files } = await exportWeb(o);
      for (const f of files) process.stdout.write(`${f.path.padEnd(40)} ${mb(f.bytes).padStart(9)}\n`);
      const total = files.reduce((n, f) => n + f.bytes, 0);
      process.stdout.write(`wrote ${files.length} files (${mb(total)}) to ${o.out}; serve the folder with any static file server (docs/web.md)\n`);
    });
}
