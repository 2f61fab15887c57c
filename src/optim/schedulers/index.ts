/** Learning-rate schedulers (`sd.optim.StepLR`, ..., also as `sd.optim.lrScheduler`). */
export { LRScheduler, LambdaLR, type LrLambda, type SchedulerStateDict } from './scheduler.js';
export { StepLR, MultiStepLR, ExponentialLR } from './step.js';
export { CosineAnnealingLR } from './cosine.js';
export { LinearLR, type LinearLROptions } from './linear.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';
export { SequentialLR } from './sequential.js';
