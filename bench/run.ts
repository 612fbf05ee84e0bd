// `npm run bench`: prints one JSON object with every benchmark's figures.
import { benchEngine } from './engine.js';
import { benchData } from './data.js';
import { benchResize } from './resize.js';
import { benchModel } from './model.js';

const results: Record<string, unknown> = { machine: { cores: (await import('node:os')).availableParallelism(), node: process.version } };
results.engine = await benchEngine();
results.data = await benchData();
results.resize = await benchResize();
results.model = await benchModel();
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
