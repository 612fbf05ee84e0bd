// Which files a data source reads: its paths and globs expanded to a fixed, sorted list of
// shards. WebDataset's brace ranges ("cc3m-{00000..00099}.tar") are expanded first (braces,
// as WebDataset's braceexpand does), then wildcards ("obelics/*.parquet") are matched
// (tinyglobby); a plain path must exist. A pattern that matches nothing is an error naming
// it, never an empty source.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import braces from 'braces';
import { globSync, isDynamicPattern } from 'tinyglobby';

/** Absolute paths of the shards `patterns` name, in pattern order, each pattern's matches sorted; duplicates dropped. */
export function expandShards(patterns: string | readonly string[], field: string): string[] {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  const out = new Set<string>();
  for (const pattern of list) {
    const matched: string[] = [];
    for (const one of braces.expand(pattern)) {
      if (isDynamicPattern(one)) matched.push(...globSync(one, { absolute: true, onlyFiles: true }).sort());
      else if (existsSync(one) && statSync(one).isFile()) matched.push(resolve(one));
    }
    if (matched.length === 0) {
      throw new Error(
        `${field}: "${pattern}" matches no files (relative paths are read from ${process.cwd()}). ` +
          'Fix: correct the path or glob (e.g. "shards/*.tar" or "shards/{0000..0099}.tar").',
      );
    }
    for (const path of matched) out.add(path);
  }
  return [...out];
}

/** A short fingerprint of a shard list (count and names), so a resume can tell that the files changed. */
export function shardListId(shards: readonly string[]): string {
  const hash = createHash('sha256');
  for (const s of shards) hash.update(basename(s) + '\n');
  return `${shards.length}:${hash.digest('hex').slice(0, 12)}`;
}
