import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { elu, gelu, leakyRelu, relu, selu, sigmoid, silu, softplus } from '../ops/activations.js';
import { tanh } from '../ops/unary.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { Module } from './module.js';
import { asLayer, choiceArg, layerArgs, layerLabel, numberArg, pyFloat, tensorInput } from './layer-utils.js';

/**
 * Activation functions as modules, as PyTorch's `nn.ReLU`, ...: for a Sequential, and so
 * that a model's printout shows them. Each is its functional op (sd.relu, ...) applied
 * elementwise (softmax and logSoftmax along `dim`). Shapes: any → the same shape.
 *
 * ```ts
 * const mlp = new sd.nn.Sequential(new sd.nn.Linear(784, 128), new sd.nn.ReLU(), new sd.nn.Linear(128, 10));
 * new sd.nn.LeakyReLU(0.2).call(sd.tensor([-1, 2]));  // [-0.2, 2]
 * new sd.nn.Softmax(1).call(sd.randn([4, 10]));       // rows sum to 1
 * ```
 */
abstract class Activation extends Module {
  protected abstract activate(x: Tensor): Tensor;

  forward(x: Tensor): Tensor {
    const input = tensorInput(layerLabel(this), x);
    return asLayer(this, () => this.activate(input));
  }

  /** Constructor arguments; empty for activations without any. */
  getConfig(): object {
    return {};
  }
}

/** max(x, 0). */
export class ReLU extends Activation {
  protected activate(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x·σ(x), also called swish. */
export class SiLU extends Activation {
  protected activate(x: Tensor): Tensor {
    return silu(x);
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends Activation {
  protected activate(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Activation {
  protected activate(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** scale·(max(0, x) + min(0, α·(e^x − 1))) with the self-normalising constants. */
export class SELU extends Activation {
  protected activate(x: Tensor): Tensor {
    return selu(x);
  }
}

/** x for x > 0, negativeSlope·x otherwise (PyTorch's default slope 0.01). */
export class LeakyReLU extends Activation {
  readonly negativeSlope: number;

  constructor(negativeSlope?: number);
  constructor(config: { negativeSlope?: number });
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<{ negativeSlope: number }>('LeakyReLU', args, ['negativeSlope'], 1);
    this.negativeSlope = numberArg('LeakyReLU', 'negativeSlope', c.negativeSlope ?? 0.01, 'a finite number', () => true);
  }

  protected activate(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override getConfig(): { negativeSlope: number } {
    return { negativeSlope: this.negativeSlope };
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** x for x > 0, α·(e^x − 1) otherwise. Default α = 1. */
export class ELU extends Activation {
  readonly alpha: number;

  constructor(alpha?: number);
  constructor(config: { alpha?: number });
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<{ alpha: number }>('ELU', args, ['alpha'], 1);
    this.alpha = numberArg('ELU', 'alpha', c.alpha ?? 1, 'a finite number', () => true);
  }

  protected activate(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override getConfig(): { alpha: number } {
    return { alpha: this.alpha };
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** x·Φ(x), exactly ('none', the default) or with the tanh approximation ('tanh'). */
export class GELU extends Activation {
  readonly approximate: 'none' | 'tanh';

  constructor(approximate?: 'none' | 'tanh');
  constructor(config: { approximate?: 'none' | 'tanh' });
  constructor(...args: unknown[]) {
    super();
    const first = args[0];
    // the one positional argument is a string, which layerArgs would take as a value
    const c = typeof first === 'string' ? { approximate: first } : layerArgs<{ approximate: string }>('GELU', args, ['approximate'], 1);
    this.approximate = choiceArg('GELU', 'approximate', c.approximate ?? 'none', ['none', 'tanh']);
  }

  protected activate(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }

  override getConfig(): { approximate: 'none' | 'tanh' } {
    return { approximate: this.approximate };
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** (1/β)·ln(1 + e^(βx)), linear where βx > threshold. Defaults β = 1, threshold = 20. */
export class Softplus extends Activation {
  readonly beta: number;
  readonly threshold: number;

  constructor(beta?: number, threshold?: number);
  constructor(config: { beta?: number; threshold?: number });
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<{ beta: number; threshold: number }>('Softplus', args, ['beta', 'threshold'], 2);
    this.beta = numberArg('Softplus', 'beta', c.beta ?? 1, 'a number > 0', (v) => v > 0);
    this.threshold = numberArg('Softplus', 'threshold', c.threshold ?? 20, 'a finite number', () => true);
  }

  protected activate(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }

  override getConfig(): { beta: number; threshold: number } {
    return { beta: this.beta, threshold: this.threshold };
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Softmax and LogSoftmax: along `dim`, or PyTorch's legacy choice when it is not given. */
abstract class AlongDim extends Activation {
  readonly dim: number | null;

  protected constructor(args: unknown[]) {
    super();
    const name = new.target.name;
    const c = layerArgs<{ dim: number | null }>(name, args, ['dim'], 1);
    const dim = c.dim ?? null;
    if (dim !== null && (typeof dim !== 'number' || !Number.isInteger(dim))) {
      throw new ValueError(`${name}: dim must be an integer or null, got ${String(dim)}`);
    }
    this.dim = dim;
  }

  /** Without a dim, PyTorch takes axis 0 of 0-, 1- and 3-D inputs and axis 1 otherwise. */
  protected axisFor(x: Tensor): number {
    return this.dim ?? ([0, 1, 3].includes(x.rank) ? 0 : 1);
  }

  override getConfig(): { dim: number | null } {
    return { dim: this.dim };
  }

  override extraRepr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** exp(x) / Σ exp(x) along `dim`: each slice sums to 1. */
export class Softmax extends AlongDim {
  constructor(dim?: number | null);
  constructor(config: { dim?: number | null });
  constructor(...args: unknown[]) {
    super(args);
  }

  protected activate(x: Tensor): Tensor {
    return softmax(x, this.axisFor(x));
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends AlongDim {
  constructor(dim?: number | null);
  constructor(config: { dim?: number | null });
  constructor(...args: unknown[]) {
    super(args);
  }

  protected activate(x: Tensor): Tensor {
    return logSoftmax(x, this.axisFor(x));
  }
}
