// `mm1 data ...`: look at training data. `preview` writes an HTML page of world samples.
import type { Command } from 'commander';
import { writeWorldPreview } from '../../data/world/preview.js';

function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number >= ${min}, got "${value}"`);
  return n;
}

export function register(program: Command): void {
  const data = program.command('data').description('Inspect training and evaluation data');
  data
    .command('preview')
    .description('Write an HTML page with samples of every synthetic-world source (pictures beside their text)')
    .option('--seed <n>', 'world seed', '0')
    .option('--out <dir>', 'output directory', 'world-preview')
    .option('--count <n>', 'samples per section', '4')
    .action(async (opts: { seed: string; out: string; count: string }) => {
      const file = await writeWorldPreview({
        seed: wholeNumber('--seed', opts.seed, 0),
        outDir: opts.out,
        count: wholeNumber('--count', opts.count, 1),
      });
      process.stdout.write(`wrote ${file}\nopen it in a browser to look at the samples\n`);
    });
}
