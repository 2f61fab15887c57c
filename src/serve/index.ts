/**
 * Serving (`sd.serve`): TF Serving's REST API over Shendu models (`startServer`, and
 * `npx shendu serve`), and serving inside an application without HTTP (`load`).
 *
 * ```ts
 * const predictor = await sd.serve.load('mnist.safetensors');
 * const probs = await predictor.predict(sd.randn([1, 28, 28]));
 * ```
 */
export { load, Predictor, type PredictorOptions, type PredictInput } from './predictor.js';
export { startServer, ModelServer, type ServerOptions, type ModelConfig } from './server.js';
export { fromKerasModel, fromModule, loadModelFile, type KerasLikeModel } from './adapters.js';
export { chooseVersion, hashUnit, parseSplit, type WeightedVersion } from './router.js';
export { Batcher, type BatchingOptions } from './batcher.js';
export { WorkerPool, InlineExecutor, defaultWorkerCount, type Executor } from './pool.js';
export { ServeError, type LoadedModel, type ModelSource, type Signature, type TensorSpec } from './types.js';
