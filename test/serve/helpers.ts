/** Helpers of the serving tests: HTTP calls on loopback, temporary folders, saved Keras models. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as sd from '../../src/index.js';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

/** One HTTP request; a non-string body is sent as JSON. */
export async function call(base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await fetch(base + url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // metrics and other text
  }
  return { status: r.status, body: parsed, text, headers: r.headers };
}

/** A new folder under the OS temp dir, removed when the process exits. */
export function tempDir(prefix = 'shendu-serve-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A small Keras classifier (Flatten → Dense 8 relu → Dense 3 softmax on [2,2] inputs), saved to `file`. */
export function saveSmallModel(file: string, seed = 0): sd.LayersModel {
  sd.seed(seed);
  const model = sd.sequential([
    sd.layers.flatten({ inputShape: [2, 2] }),
    sd.layers.dense({ units: 8, activation: 'relu' }),
    sd.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  model.save(file);
  return model;
}

/** Runs `count` requests, `concurrency` at a time. */
export async function inParallel<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}
