#!/usr/bin/env node
// Builds the native backend (native/binding.gyp) with node-gyp. Run by `npm install`; a
// failed build (no compiler, no headers) prints one line and exits 0, so installation
// succeeds and Shendu runs on the js backend. Nothing is downloaded: the Node headers
// come from npm's nodedir setting or from the Node installation itself.
//
//   node scripts/build-native.mjs            build, quiet unless it fails
//   node scripts/build-native.mjs --verbose  show the compiler output
//
// SHENDU_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = join(root, 'native');
const logFile = join(native, 'build-error.log');
const verbose = process.argv.includes('--verbose');

function skip(reason) {
  console.log(`shendu: native backend not built (${reason}); using the js backend`);
  process.exit(0);
}

if (process.env.SHENDU_SKIP_NATIVE === '1') skip('SHENDU_SKIP_NATIVE=1');

/** node-gyp: the one npm runs scripts with, a local install, or the one bundled with npm. */
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const prefix = join(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}

/** The headers of the running Node, so that node-gyp never downloads them. */
function findNodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'common.gypi'))) return configured;
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'common.gypi'))) return prefix;
  return undefined;
}

const gyp = findNodeGyp();
if (!gyp) skip('node-gyp not found');
const nodedir = findNodeDir();
if (!nodedir) skip('Node headers not found (set npm config nodedir)');

const jobs = process.env.JOBS ?? 'max';
const args = [gyp, 'rebuild', '--directory', native, `--nodedir=${nodedir}`, '--jobs', jobs];
const result = spawnSync(process.execPath, args, {
  cwd: root,
  env: { ...process.env, npm_config_nodedir: nodedir },
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
});

if (result.status !== 0) {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  try {
    mkdirSync(native, { recursive: true });
    writeFileSync(logFile, output);
  } catch {
    // a read-only install still succeeds
  }
  const firstError = output.split('\n').find((l) => /error|not found|ENOENT/i.test(l))?.trim() ?? 'build failed';
  skip(`${firstError.slice(0, 120)}; details in native/build-error.log`);
}
if (verbose) console.log('shendu: native backend built');
