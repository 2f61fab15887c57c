import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeAddon } from '../../../src/backend/native/index.js';

/**
 * Installation and selection: a machine without a C++ compiler still installs a working
 * package on the js backend, and the environment variables choose path, threads and
 * backend.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a module snippet against `dir`'s src/ (TypeScript through tsx). */
function runSnippet(dir: string, code: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

/** `nm` on a file, or null when binutils is missing. */
function symbols(file: string): string[] | null {
  const r = spawnSync('nm', [file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : null;
}

describe('native backend installation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shendu-install-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without a C++ compiler, the build step prints one line, exits 0, and the package runs on js', () => {
    for (const path of ['package.json', 'scripts/build-native.mjs', 'native/binding.gyp', 'native/src', 'src']) {
      cpSync(join(root, path), join(dir, path), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const build = spawnSync(process.execPath, ['scripts/build-native.mjs'], {
      cwd: dir,
      env: { ...process.env, CXX: '/nonexistent/c++', CC: '/nonexistent/cc', JOBS: '1' },
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
    const lines = build.stdout.trim().split('\n');
    assert.equal(lines.length, 1, build.stdout);
    assert.match(lines[0], /^shendu: native backend not built \(.*\); using the js backend$/);
    assert.ok(!existsSync(join(dir, 'native/build/Release/shendu.node')));

    const run = runSnippet(
      dir,
      "const sd = await import('./src/index.ts'); console.log(sd.getBackend(), sd.listBackends().join(','), sd.add(sd.tensor([1, 2]), 1).values.join(','));",
    );
    assert.equal(run.status, 0, run.stderr);
    // nothing else is printed at import
    assert.equal(run.stdout, 'js js 2,3\n');
  });

  it('the AVX2 and AVX-512 code is only reached through its kernel table (no illegal instruction on older CPUs)', () => {
    const libs = ['shendu_avx2.a', 'shendu_avx512.a'].map((f) => join(root, 'native/build/Release', f));
    if (!nativeAddon() || !libs.every((f) => existsSync(f)) || symbols(libs[0]) === null) return;
    for (const lib of libs) {
      const syms = symbols(lib)!.filter((l) => !l.endsWith(':') && !l.startsWith('\n'));
      // one global entry point (the kernel table); weak symbols would let the linker
      // substitute AVX code for inline functions the rest of the addon calls on any CPU
      const global = syms.filter((l) => / [TDBR] /.test(l));
      assert.equal(global.length, 1, `${lib}: ${global.join('; ')}`);
      assert.deepEqual(syms.filter((l) => / [WVuw] /.test(l)), [], lib);
      // and no static initializer, which would run at load time on every CPU
      assert.deepEqual(syms.filter((l) => /_GLOBAL__sub_I|init_array/.test(l)), [], lib);
    }
  });

  it('SHENDU_NATIVE=0 keeps the js backend; SHENDU_ISA and SHENDU_NUM_THREADS choose the path and threads', { skip: nativeAddon() ? false : 'native addon not built' }, () => {
    const code =
      "const sd = await import('./src/index.ts'); const { nativeInfo } = await import('./src/backend/native/index.ts');" +
      "const i = nativeInfo(); console.log(sd.getBackend(), i.isa ?? '-', i.threads ?? '-');";
    assert.equal(runSnippet(root, code, { SHENDU_NATIVE: '0' }).stdout, 'js - -\n');
    for (const isa of nativeAddon()!.supportedIsas()) {
      const run = runSnippet(root, code, { SHENDU_ISA: isa, SHENDU_NUM_THREADS: '1' });
      assert.equal(run.stdout, `native ${isa} 1\n`, run.stderr);
    }
    // a path the CPU cannot run (or an unknown name) falls back to the best one
    const best = nativeAddon()!.supportedIsas()[0];
    assert.equal(runSnippet(root, code, { SHENDU_ISA: 'no-such-path', SHENDU_NUM_THREADS: '3' }).stdout, `native ${best} 3\n`);
  });
});
