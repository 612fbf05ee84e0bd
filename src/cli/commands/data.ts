// `mm1 data ...`: look at training data. `preview` writes an HTML page of world samples.
import type { Command } from 'commander';
import { writeWorldPreview } from '../../data/world/preview.js';
import { wholeNumber } from '../flags.js';

export function register(program: Command): void {
  const data = program.command('data').description('Inspect training and evaluation data');
  data
    .command('preview')
    .description('Write an HTML page with samples of every synthetic-world source (pictures beside their text)')
    .option('--seed <n>', 'world seed', wholeNumber(0), 0)
    .option('--out <dir>', 'output directory', 'world-preview')
    .option('--count <n>', 'samples per section', wholeNumber(1), 4)
    .action(async (opts: { seed: number; out: string; count: number }) => {
      const file = await writeWorldPreview({ seed: opts.seed, outDir: opts.out, count: opts.count });
      process.stdout.write(`wrote ${file}\nopen it in a browser to look at the samples\n`);
    });
}
