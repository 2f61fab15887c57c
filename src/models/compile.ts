/**
 * What `model.compile` resolves: the optimizer (a Keras name with Keras' defaults, an
 * `sd.optim` optimizer, a factory, or a saved config), the loss of each output, the
 * metrics of each output, and the compile settings as JSON for model files.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import * as optim from '../optim/index.js';
import type { Optimizer } from '../optim/optimizer.js';
import { getLoss, canonicalLossName, type LossFunction, type LossIdentifier } from '../losses/registry.js';
import { getMetric, type MetricIdentifier } from '../metrics/registry.js';
import type { Metric } from '../metrics/streaming.js';

/** An optimizer for compile: a name, an sd.optim optimizer, a factory over the weights, or `{className, config}`. */
export type OptimizerIdentifier =
  | 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adamw'
  | string
  | Optimizer
  | ((params: Tensor[]) => Optimizer)
  | { className: string; config?: Record<string, unknown> };

export interface CompileArgs {
  /** 'adam' (Keras defaults: lr 0.001), 'sgd', 'rmsprop', 'adagrad', 'adamw', or an optimizer. */
  optimizer: OptimizerIdentifier;
  /** One loss for every output, one per output (array), or by output layer name. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Metric names or objects for every output, or per output layer name: ['accuracy']. */
  metrics?: MetricIdentifier[] | Record<string, MetricIdentifier[]>;
  /** Weights of the output losses in the total loss. Default 1 each. */
  lossWeights?: number[] | Record<string, number>;
}

/** Keras' optimizer names with Keras' default hyperparameters, in sd.optim option names. */
const KERAS_OPTIMIZERS: Record<string, { cls: keyof typeof optim; options: Record<string, unknown> }> = {
  adam: { cls: 'Adam', options: { lr: 1e-3, eps: 1e-7 } },
  sgd: { cls: 'SGD', options: { lr: 1e-2 } },
  rmsprop: { cls: 'RMSprop', options: { lr: 1e-3, alpha: 0.9, eps: 1e-7 } },
  adagrad: { cls: 'Adagrad', options: { lr: 1e-3, initialAccumulatorValue: 0.1, eps: 1e-7 } },
  adamw: { cls: 'AdamW', options: { lr: 1e-3, weightDecay: 0.004, eps: 1e-7 } },
};

type OptimizerClass = new (params: Tensor[], options?: Record<string, unknown>) => Optimizer;

function optimizerClass(name: string): OptimizerClass | undefined {
  const value = (optim as Record<string, unknown>)[name];
  return typeof value === 'function' && value.prototype instanceof optim.Optimizer ? (value as OptimizerClass) : undefined;
}

/**
 * Resolves an optimizer identifier to a maker over the model's trainable weights; an
 * unknown name throws here, before the model is built.
 */
export function optimizerMaker(spec: OptimizerIdentifier): (params: Tensor[]) => Optimizer {
  if (spec === null || spec === undefined) throw new ValueError(`compile: optimizer is required, e.g. 'adam'`);
  if (spec instanceof optim.Optimizer) {
    return (params) => {
      const held = new Set(spec.paramGroups.flatMap((g) => g.params));
      const missing = params.filter((p) => !held.has(p)).length;
      if (missing > 0) {
        throw new ValueError(
          `compile: the optimizer does not hold ${missing} of the model's ${params.length} trainable weights; ` +
            `make it from model.trainableWeights after the model is built, or pass a name ('adam') or a factory (params) => new sd.optim.Adam(params, { lr })`,
        );
      }
      return spec;
    };
  }
  let make: ((params: Tensor[]) => Optimizer) | undefined;
  if (typeof spec === 'function') make = spec;
  else if (typeof spec === 'string') {
    const keras = KERAS_OPTIMIZERS[spec.toLowerCase().replace(/_/g, '')];
    const cls = keras ? optimizerClass(keras.cls) : optimizerClass(spec);
    if (cls) make = (params) => new cls(params, keras?.options);
  } else if (spec && typeof spec === 'object' && typeof spec.className === 'string') {
    const keras = KERAS_OPTIMIZERS[spec.className.toLowerCase()];
    const cls = optimizerClass(keras ? keras.cls : spec.className);
    if (cls) make = (params) => new cls(params, { ...(keras?.options ?? {}), ...(spec.config ?? {}) });
  }
  if (!make) {
    throw new ValueError(
      `compile: unknown optimizer ${JSON.stringify(spec)}; valid names: ${Object.keys(KERAS_OPTIMIZERS).join(', ')} ` +
        `(or an sd.optim optimizer, or a factory (params) => optimizer)`,
    );
  }
  const maker = make;
  return (params) => {
    if (params.length === 0) throw new ValueError(`compile: the model has no trainable weights to optimize`);
    return maker(params);
  };
}

/** One output's loss and metrics. */
export interface OutputTarget {
  /** The output layer's name, for multi-output log names (`dense_1_loss`). */
  name: string;
  loss: LossFunction;
  lossId: LossIdentifier;
  weight: number;
  metrics: Metric[];
}

/** Resolves losses, weights and metrics per output. */
export function resolveTargets(args: CompileArgs, outputNames: string[]): OutputTarget[] {
  if (args.loss === undefined || args.loss === null) throw new ValueError(`compile: loss is required, e.g. 'sparseCategoricalCrossentropy'`);
  const isSingleLoss = (v: unknown): boolean =>
    typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && !Array.isArray(v) && ('name' in v || 'call' in v));
  const losses = perOutput('loss', args.loss, outputNames, isSingleLoss) as (LossIdentifier | undefined)[];
  const weights = args.lossWeights === undefined ? outputNames.map(() => 1) : (perOutput('lossWeights', args.lossWeights, outputNames, (v) => typeof v === 'number') as (number | undefined)[]);
  let metricLists: MetricIdentifier[][];
  const m = args.metrics;
  if (m === undefined) metricLists = outputNames.map(() => []);
  else if (Array.isArray(m)) {
    const perOutputLists = outputNames.length > 1 && m.length === outputNames.length && m.every((x) => Array.isArray(x));
    metricLists = perOutputLists ? (m as unknown as MetricIdentifier[][]) : outputNames.map(() => m);
  } else metricLists = perOutput('metrics', m, outputNames, () => false).map((x) => (x ?? []) as MetricIdentifier[]);
  return outputNames.map((name, i) => {
    const lossId = losses[i];
    if (lossId === undefined) throw new ValueError(`compile: no loss for output '${name}'`);
    return {
      name,
      lossId,
      loss: getLoss(lossId),
      weight: weights[i] ?? 1,
      metrics: metricLists[i].map((metric) => getMetric(metric, { loss: lossId })),
    };
  });
}

/** One value for every output (`isSingle`), one per output (array), or by output name (object). */
function perOutput(what: string, value: unknown, names: string[], isSingle: (v: unknown) => boolean): unknown[] {
  if (isSingle(value)) return names.map(() => value);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`compile: ${what} has ${value.length} entries but the model has ${names.length} outputs (${names.join(', ')})`);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null) throw new ValueError(`compile: invalid ${what} ${String(value)}`);
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    if (!names.includes(k)) throw new ValueError(`compile: ${what} names output '${k}', but the outputs are ${names.join(', ')}`);
  }
  return names.map((n) => record[n]);
}

/** A loss as JSON, or undefined when it is a function or a module. */
export function serializeLoss(loss: LossIdentifier): unknown {
  if (typeof loss === 'string') return canonicalLossName(loss) ?? loss;
  if (loss && typeof loss === 'object' && !('call' in loss) && typeof (loss as { name?: unknown }).name === 'string') return { ...loss };
  return undefined;
}

/** An optimizer as `{className, config}`: its class and the hyperparameters of its first group. */
export function serializeOptimizer(opt: Optimizer): { className: string; config: Record<string, unknown> } {
  const { params: _params, initialLr: _initial, ...config } = opt.paramGroups[0];
  return { className: opt.constructor.name, config: structuredClone(config) as Record<string, unknown> };
}
