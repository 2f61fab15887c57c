/**
 * A serving worker thread: holds its own copy of every loaded model and runs the batches
 * the pool sends it, so inference never blocks the server's event loop. Messages are in
 * pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../index.js';
import { setNumThreads } from '../backend/native/index.js';
import { buildModel, runModel, warmupInputs } from './adapters.js';
import type { ToWorker, FromWorker } from './pool.js';
import type { LoadedModel } from './types.js';

const port = parentPort;
if (!port) throw new Error('serve/worker.ts runs as a worker thread');

const { kernelThreads } = (workerData ?? {}) as { kernelThreads?: number };
if (kernelThreads !== undefined) setNumThreads(kernelThreads);

const models = new Map<string, LoadedModel>();

function send(message: FromWorker): void {
  const transfer = message.type === 'result' ? Object.values(message.outputs).map((t) => t.data.buffer as ArrayBuffer) : [];
  port!.postMessage(message, transfer);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

port.on('message', async (message: ToWorker) => {
  switch (message.type) {
    case 'load': {
      try {
        const model = await buildModel(message.source);
        runModel(model, warmupInputs(model.signature));
        models.set(message.key, model);
        send({ type: 'loaded', key: message.key, signature: model.signature });
      } catch (err) {
        send({ type: 'loadError', key: message.key, message: errorText(err) });
      }
      break;
    }
    case 'unload':
      models.delete(message.key);
      break;
    case 'run': {
      const model = models.get(message.key);
      const start = performance.now();
      try {
        if (!model) throw new Error(`servable ${message.key} is not loaded in this worker`);
        const outputs = runModel(model, message.inputs);
        send({ type: 'result', id: message.id, outputs, micros: Math.round((performance.now() - start) * 1000) });
      } catch (err) {
        send({ type: 'runError', id: message.id, message: errorText(err) });
      }
      break;
    }
  }
});
