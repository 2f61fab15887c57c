/**
 * A separate process for the tracking tests: `node --import tsx test/track/child.ts <mode> <home> ...`.
 * - metrics <home> <n>: a run logging n metric points one by one, then ended; prints the run id
 * - exit <home>: a run logging 10 points, then process.exit(1) without ending it
 * - kill <home>: a run logging 10 points, then SIGKILL to itself (no exit hook runs)
 * - register <home> <file> <name>: registers the file as a new version; prints the version
 */
import { startRun } from '../../src/track/api.js';
import { TrackingStore } from '../../src/track/store.js';
import { ModelRegistry } from '../../src/track/registry.js';

const [mode, home, ...rest] = process.argv.slice(2);

switch (mode) {
  case 'metrics': {
    const run = startRun({ home, experiment: 'concurrent', runName: `writer-${process.pid}` });
    const n = Number(rest[0]);
    for (let i = 0; i < n; i++) run.logMetric('value', i, i);
    run.end();
    console.log(run.id);
    break;
  }
  case 'exit':
  case 'kill': {
    const run = startRun({ home, experiment: 'crash', runName: mode });
    run.logParams({ lr: 0.1 });
    for (let i = 0; i < 10; i++) run.logMetric('loss', 1 / (i + 1), i);
    console.log(run.id);
    if (mode === 'exit') process.exit(1);
    process.kill(process.pid, 'SIGKILL');
    break;
  }
  case 'register': {
    const store = TrackingStore.open({ home });
    console.log(new ModelRegistry(store).register(rest[0], rest[1]).version);
    store.close();
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
