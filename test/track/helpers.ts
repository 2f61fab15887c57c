/** Helpers of the tracking tests: temporary store folders and child processes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const tempDirs: string[] = [];

/** A new empty folder under the OS temp dir, removed when the process exits. */
export function tempHome(prefix = 'shendu-track-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // one exit listener for all folders: a listener per folder trips Node's leak warning
  if (tempDirs.length === 0) {
    process.on('exit', () => {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  tempDirs.push(dir);
  return dir;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file with node + tsx and collects its output. */
export function runNode(args: readonly string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs test/track/child.ts in one of its modes (see there). */
export function runChild(mode: string, ...args: string[]): Promise<ChildResult> {
  return runNode([path.join(ROOT, 'test/track/child.ts'), mode, ...args]);
}

/** Asserts that `fn` throws an instance of `cls` whose message matches `message`. */
export function assertThrowsError(fn: () => unknown, cls: new (...args: never[]) => Error, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    assert.match((err as Error).message, message);
    return true;
  });
}
