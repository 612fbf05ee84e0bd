// `npm run bench`: prints one JSON object with every benchmark's figures.
import { benchEngine } from './engine.js';

const results: Record<string, unknown> = { machine: { cores: (await import('node:os')).availableParallelism(), node: process.version } };
results.engine = await benchEngine();
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
