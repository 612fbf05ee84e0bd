// Crash-safe file writing: write to a temporary name, fsync, then rename over the target.
// rename() is atomic on POSIX filesystems, so readers see either the old file or the whole
// new one, never a prefix. Used for checkpoints, run logs and anything a crash must not tear.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type FileBytes = string | Uint8Array | readonly Uint8Array[];

const MAX_WRITE = 1 << 30; // writeSync refuses single writes above 2 GiB; stay well below.

/** Writes `bytes` to `path` and fsyncs it before returning (not atomic on its own). */
export function writeFileSynced(path: string, bytes: FileBytes): void {
  const chunks = typeof bytes === 'string' ? [Buffer.from(bytes, 'utf8')] : bytes instanceof Uint8Array ? [bytes] : bytes;
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.byteLength) {
        done += writeSync(fd, chunk, done, Math.min(MAX_WRITE, chunk.byteLength - done));
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or creation inside `dir` durable. A no-op where directories cannot be opened (Windows). */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories (EINVAL); the rename itself is still atomic.
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` with `bytes` so that a crash leaves either the old or the new content. */
export function atomicWriteFile(path: string, bytes: FileBytes): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSynced(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}
