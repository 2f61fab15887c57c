/**
 * What a run records about where it runs: the store's home folder, the command line, the
 * git commit of the working directory, the host and whether a process is still alive.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '../errors.js';

/**
 * The store's home folder: `home` if given, else $SHENDU_HOME, else `./.shendu` in the
 * current directory. The database is `<home>/store.db`, artifacts sit beside it.
 */
export function resolveHome(home?: string): string {
  return path.resolve(home ?? process.env.SHENDU_HOME ?? '.shendu');
}

/** The command that started this process, as a shell would print it. */
export function sourceCommand(argv: readonly string[] = process.argv): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * The commit checked out in the git repository containing `dir`, read from `.git/HEAD`
 * and the refs directly (no git binary needed); undefined outside a repository.
 * Handles worktrees and submodules (`.git` as a file pointing elsewhere) and packed refs.
 */
export function gitCommit(dir: string = process.cwd()): string | undefined {
  const gitDir = findGitDir(path.resolve(dir));
  if (!gitDir) return undefined;
  try {
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
    const commonDir = readCommonDir(gitDir);
    for (const base of [gitDir, commonDir]) {
      const file = path.join(base, ref);
      if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
    }
    return packedRef(commonDir, ref);
  } catch {
    return undefined;
  }
}

function findGitDir(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git');
    try {
      const stat = fs.statSync(candidate);
      if (stat.isDirectory()) return candidate;
      // a worktree or submodule: ".git" is a file "gitdir: <path>"
      const target = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(candidate, 'utf8'))?.[1]?.trim();
      if (target) return path.resolve(dir, target);
    } catch {
      // no .git here: look in the parent
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readCommonDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

function packedRef(gitDir: string, ref: string): string | undefined {
  try {
    for (const line of fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref) return sha;
    }
  } catch {
    // no packed refs
  }
  return undefined;
}

/** Whether process `pid` exists on this host (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Checks a name used as a path inside an artifact folder: relative, '/'-separated, with no
 * '..' or empty segments, so that no artifact can be written or served outside its run.
 */
export function checkArtifactName(op: string, name: string): string {
  const normalized = name.replace(/\\/g, '/');
  const parts = normalized.split('/');
  if (normalized === '' || normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new ValueError(`${op}: artifact name must be a relative path without '.', '..' or empty parts, got '${name}'`);
  }
  return normalized;
}
