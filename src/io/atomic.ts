import fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes `chunks` to `path` atomically: into a temporary file in the same directory,
 * flushed to disk (fsync), then renamed over `path`. A crash or an error mid-write leaves
 * the previous file untouched (the temporary file is removed on error), and readers never
 * see a half-written file, since a rename within one file system is atomic.
 */
export function writeFileAtomic(path: string, chunks: Iterable<Uint8Array>): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o644);
  try {
    try {
      for (const chunk of chunks) writeAll(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  syncDirectory(dir);
}

/** writeSync may write less than asked; loop until the chunk is on its way. */
function writeAll(fd: number, chunk: Uint8Array): void {
  // writeSync takes at most 2 GiB at once
  const step = 1 << 30;
  for (let offset = 0; offset < chunk.length; ) {
    offset += fs.writeSync(fd, chunk, offset, Math.min(step, chunk.length - offset));
  }
}

/** Makes the rename itself durable. Directories cannot be opened on every platform: best effort. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here (e.g. Windows); the rename is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
