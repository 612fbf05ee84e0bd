// `mm1 data ...`: look at training data. `preview` writes an HTML page of world samples;
// `probe` measures how much each image task's answers depend on resolution.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { writeWorldPreview } from '../../data/world/preview.js';
import { PROBED_TASKS, probeTable, probeWorld } from '../../data/world/probe/probe.js';
import { wholeNumber, wholeNumberList } from '../flags.js';

interface ProbeFlags {
  sizes: number[];
  seed: number;
  items: number;
  trainItems: number;
  worldVersion: '1' | '2';
  tasks?: string;
  out?: string;
}

export function register(program: Command): void {
  const data = program.command('data').description('Inspect training and evaluation data');
  data
    .command('preview')
    .description('Write an HTML page with samples of every synthetic-world source (pictures beside their text)')
    .option('--seed <n>', 'world seed', wholeNumber(0), 0)
    .option('--out <dir>', 'output directory', 'world-preview')
    .option('--count <n>', 'samples per section', wholeNumber(1), 4)
    .addOption(new Option('--world-version <v>', 'world version to show').choices(['1', '2']).default('2'))
    .action(async (opts: { seed: number; out: string; count: number; worldVersion: '1' | '2' }) => {
      const file = await writeWorldPreview({ seed: opts.seed, outDir: opts.out, count: opts.count, version: opts.worldVersion === '1' ? 1 : 2 });
      process.stdout.write(`wrote ${file}\nopen it in a browser to look at the samples\n`);
    });
  data
    .command('probe')
    .description(
      'Resolution probe: how much of each world image task a fixed, model-independent reader recovers from the ' +
        'pictures after they pass through each size (ridge classifiers on fixed pixel features, trained on ' +
        'training-split items; a template reader for words). Prints a markdown table (docs/world.md).',
    )
    .addOption(new Option('--sizes <list>', 'resolutions, each dividing 128').argParser(wholeNumberList(1)).default([32, 64, 128], '32,64,128'))
    .option('--seed <n>', 'world seed', wholeNumber(0), 0)
    .option('--items <n>', 'evaluation items per task', wholeNumber(1), 200)
    .option('--train-items <n>', 'training-split items per task the classifiers learn from', wholeNumber(2), 600)
    .addOption(new Option('--world-version <v>', 'world version').choices(['1', '2']).default('2'))
    .option('--tasks <list>', `comma-separated subset of: ${PROBED_TASKS.map(([n]) => n).join(', ')}`)
    .option('--out <file>', 'also write the table (markdown) and the rows (<file>.json)')
    .action(async (f: ProbeFlags) => {
      const bad = f.sizes.filter((s) => 128 % s !== 0);
      if (bad.length > 0) throw new Error(`--sizes ${f.sizes.join(',')}: ${bad.join(', ')} does not divide 128 (the render size); use e.g. 32,64,128`);
      const rows = probeWorld({
        seed: f.seed,
        sizes: f.sizes,
        items: f.items,
        trainItems: f.trainItems,
        version: f.worldVersion === '1' ? 1 : 2,
        ...(f.tasks
          ? {
              tasks: f.tasks
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            }
          : {}),
        onProgress: (task, size) => process.stderr.write(`probe: ${task} at ${size} px\n`),
      });
      const table = probeTable(rows, f.sizes);
      process.stdout.write(`${table}\n`);
      if (f.out) {
        await mkdir(path.dirname(path.resolve(f.out)), { recursive: true });
        await writeFile(f.out, `${table}\n`);
        await writeFile(
          `${f.out}.json`,
          `${JSON.stringify({ seed: f.seed, sizes: f.sizes, items: f.items, trainItems: f.trainItems, worldVersion: Number(f.worldVersion), rows }, null, 2)}\n`,
        );
      }
    });
}
