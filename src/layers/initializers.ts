/**
 * Weight initializers of the Keras layers (`kernelInitializer: 'heNormal'`), with Keras'
 * definitions, filling tensors through `sd.nn.init`. Fans are those of the module's
 * layout ([out, in, ...kernel]), which equal Keras' fans of its own layout.
 *
 * ```ts
 * sd.layers.dense({ units: 64, kernelInitializer: 'heNormal' });
 * sd.layers.dense({ units: 64, kernelInitializer: sd.initializers.randomNormal({ stddev: 0.01, seed: 1 }) });
 * ```
 */
import { ValueError } from '../errors.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { calculateFanInAndFanOut, constant_, normal_, orthogonal_, truncNormal_, uniform_, type InitOptions } from '../nn/init.js';
import type { LayerConfig } from './layer.js';

/** Standard deviation of N(0, 1) truncated to [−2, 2]; Keras divides by it so the variance is as asked. */
const TRUNCATED_STD = 0.87962566103423978;

/** Fills a weight in place. */
export abstract class Initializer {
  constructor(protected readonly config: LayerConfig = {}) {}
  abstract apply(t: Tensor): Tensor;
  get className(): string {
    return this.constructor.name;
  }
  getConfig(): LayerConfig {
    return { ...this.config };
  }
  protected generatorOptions(): InitOptions {
    const seed = this.config.seed;
    return typeof seed === 'number' ? { generator: new Generator(seed) } : {};
  }
}

export class Zeros extends Initializer {
  apply(t: Tensor): Tensor {
    return constant_(t, 0);
  }
}

export class Ones extends Initializer {
  apply(t: Tensor): Tensor {
    return constant_(t, 1);
  }
}

export class Constant extends Initializer {
  apply(t: Tensor): Tensor {
    return constant_(t, Number(this.config.value ?? 0));
  }
}

export class RandomNormal extends Initializer {
  apply(t: Tensor): Tensor {
    return normal_(t, Number(this.config.mean ?? 0), Number(this.config.stddev ?? 0.05), this.generatorOptions());
  }
}

export class RandomUniform extends Initializer {
  apply(t: Tensor): Tensor {
    return uniform_(t, Number(this.config.minval ?? -0.05), Number(this.config.maxval ?? 0.05), this.generatorOptions());
  }
}

export class TruncatedNormal extends Initializer {
  apply(t: Tensor): Tensor {
    const mean = Number(this.config.mean ?? 0);
    const std = Number(this.config.stddev ?? 0.05);
    return truncNormal_(t, mean, std, mean - 2 * std, mean + 2 * std, this.generatorOptions());
  }
}

export class Orthogonal extends Initializer {
  apply(t: Tensor): Tensor {
    return orthogonal_(t, Number(this.config.gain ?? 1), this.generatorOptions());
  }
}

/**
 * Keras' VarianceScaling: variance scale / n, where n is fanIn, fanOut or their mean
 * (`mode`), drawn from a normal truncated at 2 std, a normal, or a uniform (`distribution`).
 */
export class VarianceScaling extends Initializer {
  apply(t: Tensor): Tensor {
    const scale = Number(this.config.scale ?? 1);
    const mode = String(this.config.mode ?? 'fanIn');
    const distribution = String(this.config.distribution ?? 'truncatedNormal');
    const { fanIn, fanOut } = fans(t);
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : mode === 'fanAvg' ? (fanIn + fanOut) / 2 : NaN;
    if (Number.isNaN(n)) throw new ValueError(`VarianceScaling: mode must be 'fanIn', 'fanOut' or 'fanAvg', got '${mode}'`);
    const variance = scale / Math.max(1, n);
    const options = this.generatorOptions();
    if (distribution === 'truncatedNormal') {
      const std = Math.sqrt(variance) / TRUNCATED_STD;
      return truncNormal_(t, 0, std, -2 * std, 2 * std, options);
    }
    if (distribution === 'untruncatedNormal' || distribution === 'normal') return normal_(t, 0, Math.sqrt(variance), options);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return uniform_(t, -limit, limit, options);
    }
    throw new ValueError(`VarianceScaling: distribution must be 'truncatedNormal', 'untruncatedNormal' or 'uniform', got '${distribution}'`);
  }
}

/** Keras' fans: a vector has fanIn = fanOut = its length; a scalar 1. */
function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.rank === 0) return { fanIn: 1, fanOut: 1 };
  if (t.rank === 1) return { fanIn: t.shape[0], fanOut: t.shape[0] };
  return calculateFanInAndFanOut(t);
}

type Seeded = { seed?: number };
const scaling = (scale: number, mode: string, distribution: string) => (args: Seeded = {}) =>
  new VarianceScaling({ scale, mode, distribution, ...(args.seed === undefined ? {} : { seed: args.seed }) });

/** Glorot (Xavier) uniform: U(−l, l), l = √(6 / (fanIn + fanOut)). The Keras default for kernels. */
export const glorotUniform = scaling(1, 'fanAvg', 'uniform');
/** Glorot normal: truncated normal with variance 2 / (fanIn + fanOut). */
export const glorotNormal = scaling(1, 'fanAvg', 'truncatedNormal');
/** He normal: truncated normal with variance 2 / fanIn (for relu). */
export const heNormal = scaling(2, 'fanIn', 'truncatedNormal');
/** He uniform: U(−l, l), l = √(6 / fanIn). */
export const heUniform = scaling(2, 'fanIn', 'uniform');
/** LeCun normal: truncated normal with variance 1 / fanIn (for selu). */
export const lecunNormal = scaling(1, 'fanIn', 'truncatedNormal');
/** LeCun uniform: U(−l, l), l = √(3 / fanIn). */
export const lecunUniform = scaling(1, 'fanIn', 'uniform');
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (args: { value: number }): Initializer => new Constant({ value: args.value });
export const randomNormal = (args: { mean?: number; stddev?: number } & Seeded = {}): Initializer => new RandomNormal(clean(args));
export const randomUniform = (args: { minval?: number; maxval?: number } & Seeded = {}): Initializer => new RandomUniform(clean(args));
export const truncatedNormal = (args: { mean?: number; stddev?: number } & Seeded = {}): Initializer => new TruncatedNormal(clean(args));
export const orthogonal = (args: { gain?: number } & Seeded = {}): Initializer => new Orthogonal(clean(args));
export const varianceScaling = (args: { scale?: number; mode?: 'fanIn' | 'fanOut' | 'fanAvg'; distribution?: 'truncatedNormal' | 'untruncatedNormal' | 'uniform' } & Seeded = {}): Initializer =>
  new VarianceScaling(clean(args));

function clean(args: object): LayerConfig {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as LayerConfig;
}

const BY_NAME: Record<string, () => Initializer> = {
  glorotUniform, glorotNormal, heNormal, heUniform, lecunNormal, lecunUniform, zeros, ones,
  randomNormal, randomUniform, truncatedNormal, orthogonal, varianceScaling,
};

const CLASSES: Record<string, new (config: LayerConfig) => Initializer> = {
  Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, Orthogonal, VarianceScaling,
};

/** An initializer given by name (`'heNormal'`, `'he_normal'`), as `{className, config}`, or as an object. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: LayerConfig };

/** Resolves an identifier; unknown names throw, listing the known ones. */
export function getInitializer(id: InitializerIdentifier, what = 'initializer'): Initializer {
  if (id instanceof Initializer) return id;
  if (typeof id === 'string') {
    const make = BY_NAME[id.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (!make) throw new ValueError(`unknown ${what} '${id}'; valid: ${Object.keys(BY_NAME).join(', ')}`);
    return make();
  }
  if (id && typeof id === 'object' && typeof id.className === 'string' && CLASSES[id.className]) {
    return new CLASSES[id.className]({ ...(id.config ?? {}) });
  }
  throw new ValueError(`unknown ${what} ${JSON.stringify(id)}; give a name (${Object.keys(BY_NAME).join(', ')}) or an initializer object`);
}

/** `{className, config}` of an initializer, for layer configs. */
export function serializeInitializer(init: Initializer): LayerConfig {
  return { className: init.className, config: init.getConfig() };
}
