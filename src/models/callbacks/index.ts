/**
 * Callbacks of fit, `sd.callbacks`: the Keras classes, and TensorFlow.js-style factories
 * (`sd.callbacks.earlyStopping({ patience: 3 })`).
 */
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr.js';

export { Callback, CallbackList, type CallbackHooks, type CallbackLike, type Logs, type TrainParams } from './callback.js';
export { History } from '../history.js';
export { ProgbarLogger } from '../progress.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { LearningRateScheduler } from './lr-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr.js';
export { TerminateOnNaN } from './terminate-nan.js';
export { CSVLogger } from './csv-logger.js';

export const earlyStopping = (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args);
export const modelCheckpoint = (args: ModelCheckpointArgs): ModelCheckpoint => new ModelCheckpoint(args);
export const reduceLROnPlateau = (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args);
