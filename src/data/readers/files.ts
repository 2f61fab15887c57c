import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ValueError } from '../../errors.js';

/**
 * File reading for the readers, with errors that name the reader and the path
 * (`readIdx: no such file 'x.idx'`) instead of a bare ENOENT.
 */

export async function readBytes(op: string, path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw fileError(op, path, e);
  }
}

export function readBytesSync(op: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(op, path, e);
  }
}

export function fileError(op: string, path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ValueError(`${op}: no such file '${path}'`, { cause: e });
  if (code === 'EISDIR') return new ValueError(`${op}: '${path}' is a directory, expected a file`, { cause: e });
  if (code === 'EACCES') return new ValueError(`${op}: permission denied reading '${path}'`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}
