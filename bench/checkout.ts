// Loading another checkout's modules (an older commit's tree, e.g. from `git archive <commit>`)
// so a bench can run the same work through two versions side by side. Module paths moved over
// time (src/model/*.ts → src/model/{build,infer,io}/*.ts), so each import lists its candidates.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports the first of `paths` (relative to `root`) that exists there. */
export async function importFrom<T>(root: string, ...paths: string[]): Promise<T> {
  for (const p of paths) if (existsSync(join(root, p))) return (await import(pathToFileURL(resolve(root, p)).href)) as T;
  throw new Error(`${root} has none of ${paths.join(', ')}; pass the root of an mm1 checkout (the folder with src/)`);
}
