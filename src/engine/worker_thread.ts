// Starting a worker thread from a module that may be TypeScript. Compiled, the worker is a .js
// file. Run from sources under tsx (tests, `npm run`), it is .ts, and tsx's `--import` hooks do
// not reach worker threads: register them inside the worker first.
import { Worker } from 'node:worker_threads';

export function spawnWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** '.ts' when `url` (a module's import.meta.url) runs from sources, else '.js': the extension of a sibling module. */
export function extensionOf(url: string): string {
  return url.endsWith('.ts') ? '.ts' : '.js';
}
