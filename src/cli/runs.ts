/**
 * `shendu runs ls|show|rm`: list, inspect and delete the runs of the tracking store
 * ($SHENDU_HOME, else ./.shendu, or --home).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ValueError } from '../errors.js';
import { NotFoundError, StoreError } from '../track/errors.js';
import { resolveHome } from '../track/env.js';
import { TrackingStore } from '../track/store.js';
import type { RunInfo, RunStatus } from '../track/types.js';
import { formatBytes, formatDuration, formatNumber, formatTable, formatTime } from '../track/format.js';

/**
 * Runs a command's body; a missing run or model, a bad argument or a broken store prints
 * `shendu: <message>` and sets exit code 1, without a stack trace.
 */
export function cliAction<A extends unknown[]>(body: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof StoreError || err instanceof ValueError) {
        console.error(`shendu: ${err.message}`);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
  };
}

/** Opens the store of `home` read-write (to mark dead runs); undefined if there is none yet. */
export function openCliStore(home: string | undefined): TrackingStore | undefined {
  const dir = resolveHome(home);
  if (!fs.existsSync(path.join(dir, 'store.db'))) return undefined;
  return TrackingStore.open({ home: dir });
}

function requireStore(home: string | undefined): TrackingStore {
  const store = openCliStore(home);
  if (!store) throw new NotFoundError(`no tracking store at ${resolveHome(home)} (set SHENDU_HOME or --home)`);
  return store;
}

function duration(run: RunInfo): string {
  return formatDuration((run.endTime ?? Date.now()) - run.startTime);
}

function metricsText(run: RunInfo, max = 3): string {
  const entries = Object.entries(run.metrics);
  const shown = entries.slice(0, max).map(([k, m]) => `${k}=${formatNumber(m.value)}`);
  if (entries.length > max) shown.push(`+${entries.length - max}`);
  return shown.join(' ');
}

function listRuns(options: { home?: string; experiment?: string; status?: string; filter?: string; orderBy?: string[]; limit?: string; json?: boolean }): void {
  const store = openCliStore(options.home);
  if (!store) {
    if (options.json) console.log('[]');
    else console.log(`no runs (no tracking store at ${resolveHome(options.home)})`);
    return;
  }
  try {
    if (options.experiment !== undefined) store.getExperiment(options.experiment);
    const runs = store.searchRuns({
      experiment: options.experiment,
      status: options.status?.toUpperCase() as RunStatus | undefined,
      filter: options.filter,
      orderBy: options.orderBy,
      limit: options.limit === undefined ? undefined : Number(options.limit),
    });
    if (options.json) {
      console.log(JSON.stringify(runs, null, 2));
      return;
    }
    if (runs.length === 0) {
      console.log('no runs');
      return;
    }
    const rows = runs.map((r) => [r.id.slice(0, 8), r.experiment, r.name, r.status, formatTime(r.startTime), duration(r), metricsText(r)]);
    console.log(formatTable(['ID', 'EXPERIMENT', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'METRICS'], rows));
  } finally {
    store.close();
  }
}

function showRun(id: string, options: { home?: string; json?: boolean }): void {
  const store = requireStore(options.home);
  try {
    const run = store.getRun(id);
    const artifacts = store.listArtifacts(run.id);
    if (options.json) {
      console.log(JSON.stringify({ ...run, artifacts, artifactDir: store.runArtifactDir(run.id) }, null, 2));
      return;
    }
    const info: [string, string][] = [
      ['id', run.id],
      ['name', run.name],
      ['experiment', run.experiment],
      ['status', run.status],
      ['started', formatTime(run.startTime)],
      ['ended', formatTime(run.endTime)],
      ['duration', duration(run)],
      ['source', run.source || '-'],
      ['git commit', run.gitCommit ?? '-'],
      ['host', `${run.host} (pid ${run.pid})`],
      ['artifacts', store.runArtifactDir(run.id)],
    ];
    const sections = [formatTable(['RUN', ''], info)];
    const params = Object.entries(run.params);
    if (params.length) sections.push(formatTable(['PARAM', 'VALUE'], params));
    const metrics = Object.entries(run.metrics).map(([k, m]) => [k, m.value, m.step, m.min, m.max, m.count]);
    if (metrics.length) sections.push(formatTable(['METRIC', 'LAST', 'STEP', 'MIN', 'MAX', 'POINTS'], metrics));
    const tags = Object.entries(run.tags);
    if (tags.length) sections.push(formatTable(['TAG', 'VALUE'], tags));
    if (artifacts.length) sections.push(formatTable(['ARTIFACT', 'KIND', 'SIZE'], artifacts.map((a) => [a.path, a.kind, formatBytes(a.size)])));
    console.log(sections.join('\n\n'));
  } finally {
    store.close();
  }
}

function removeRuns(ids: string[], options: { home?: string; force?: boolean }): void {
  const store = requireStore(options.home);
  try {
    // check every id first, so that a typo deletes nothing
    const runs = ids.map((id) => store.getRun(id));
    const running = runs.filter((r) => r.status === 'RUNNING');
    if (running.length && !options.force) {
      throw new ValueError(`run ${running[0].id.slice(0, 8)} is still RUNNING; pass --force to delete it anyway`);
    }
    for (const run of runs) {
      store.deleteRun(run.id);
      console.log(`deleted run ${run.id} (${run.name})`);
    }
  } finally {
    store.close();
  }
}

export function runsCommand(): Command {
  const runs = new Command('runs').description('list, show and delete tracked runs');
  const home = ['--home <dir>', 'the tracking store folder (default $SHENDU_HOME or ./.shendu)'] as const;
  runs
    .command('ls')
    .description('list runs, newest first')
    .option(...home)
    .option('-e, --experiment <name>', 'only runs of this experiment')
    .option('-s, --status <status>', 'only runs with this status (RUNNING, FINISHED, FAILED, KILLED)')
    .option('-f, --filter <filter>', `e.g. "metrics.loss < 0.5 and params.optimizer = 'adam'"`)
    .option('-o, --order-by <field...>', "e.g. 'metrics.loss ASC'")
    .option('-n, --limit <n>', 'at most n runs')
    .option('--json', 'print JSON')
    .action(cliAction(listRuns));
  runs
    .command('show')
    .description('show a run: params, metrics, tags and artifacts')
    .argument('<id>', 'run id, or a unique prefix of it')
    .option(...home)
    .option('--json', 'print JSON')
    .action(cliAction(showRun));
  runs
    .command('rm')
    .description('delete runs with their metrics and artifacts')
    .argument('<ids...>', 'run ids, or unique prefixes')
    .option(...home)
    .option('--force', 'also delete runs still RUNNING')
    .action(cliAction(removeRuns));
  return runs;
}
