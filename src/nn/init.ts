/**
 * Weight initializers, as `torch.nn.init`: each fills a tensor's storage in place from the
 * seeded global generator (or `options.generator`) and returns the tensor. They write the
 * values directly, outside autograd, so they work on parameters that require grad.
 *
 * Fans follow PyTorch's layout: a weight of shape [out, in, ...kernel] has
 * fanIn = in·∏kernel and fanOut = out·∏kernel (Linear is [out, in]).
 *
 * ```ts
 * sd.seed(0);
 * const w = new sd.nn.Parameter(sd.zeros([128, 784]));
 * sd.nn.init.kaimingUniform_(w, { a: Math.sqrt(5) }); // PyTorch's Linear default
 * sd.nn.init.zeros_(bias);
 * ```
 */
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { Generator, globalGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

export interface InitOptions {
  /** Defaults to the global generator seeded by `sd.seed`. */
  generator?: Generator;
}

/** Names accepted by `calculateGain` (snake_case spellings as in PyTorch work too). */
export type Nonlinearity =
  | 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu'
  | 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d';

const GAINS: Record<Nonlinearity, (param?: number) => number> = {
  linear: () => 1,
  identity: () => 1,
  conv1d: () => 1,
  conv2d: () => 1,
  conv3d: () => 1,
  convTranspose1d: () => 1,
  convTranspose2d: () => 1,
  convTranspose3d: () => 1,
  sigmoid: () => 1,
  tanh: () => 5 / 3,
  relu: () => Math.SQRT2,
  leakyRelu: (slope = 0.01) => Math.sqrt(2 / (1 + slope * slope)),
  // SELU's gain keeps the variance of self-normalising networks (PyTorch's value)
  selu: () => 3 / 4,
};

/**
 * The recommended scale of the weights for a nonlinearity: 1 for linear, convolution and
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leakyRelu (`param` is the
 * negative slope, default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity | string, param?: number): number {
  const key = String(nonlinearity).replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as Nonlinearity;
  if (!Object.hasOwn(GAINS, key)) {
    throw new ValueError(`calculateGain: unknown nonlinearity '${nonlinearity}' (expected one of ${Object.keys(GAINS).join(', ')})`);
  }
  if (param !== undefined && (typeof param !== 'number' || !Number.isFinite(param))) {
    throw new ValueError(`calculateGain: param must be a finite number, got ${String(param)}`);
  }
  return GAINS[key](param);
}

/**
 * fanIn and fanOut of a weight (or its shape) laid out [out, in, ...kernel]; needs at
 * least two dimensions.
 */
export function calculateFanInAndFanOut(weight: Tensor | readonly number[]): { fanIn: number; fanOut: number } {
  const shape = weight instanceof Tensor ? weight.shape : weight;
  if (shape.length < 2) {
    throw new ValueError(`calculateFanInAndFanOut: the weight needs at least 2 dimensions, got shape ${fmtShape(shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function fill(op: string, t: Tensor, sample: () => number): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor`);
  if (!isFloatDType(t.dtype)) throw new DTypeError(`${op}: the tensor must be float32 or float64, got ${t.dtype}`);
  const v = t.values;
  for (let i = 0; i < v.length; i++) v[i] = sample();
  return t;
}

function finite(op: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${op}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** Fills with samples of U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  finite('uniform_', 'a', a);
  finite('uniform_', 'b', b);
  if (a > b) throw new ValueError(`uniform_: a must be <= b, got a=${a}, b=${b}`);
  const g = options.generator ?? globalGenerator;
  return fill('uniform_', t, () => a + (b - a) * g.uniform());
}

/** Fills with samples of N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  finite('normal_', 'mean', mean);
  finite('normal_', 'std', std);
  if (std < 0) throw new ValueError(`normal_: std must be >= 0, got ${std}`);
  const g = options.generator ?? globalGenerator;
  return fill('normal_', t, () => mean + std * g.normal());
}

/**
 * Fills with N(mean, std²) restricted to [a, b] (absolute bounds, as PyTorch's
 * `trunc_normal_`), by redrawing samples that fall outside.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, options: InitOptions = {}): Tensor {
  for (const [name, v] of [['mean', mean], ['std', std], ['a', a], ['b', b]] as const) finite('truncNormal_', name, v);
  if (!(a < b)) throw new ValueError(`truncNormal_: a must be < b, got a=${a}, b=${b}`);
  if (std < 0) throw new ValueError(`truncNormal_: std must be >= 0, got ${std}`);
  const g = options.generator ?? globalGenerator;
  return fill('truncNormal_', t, () => {
    for (let attempt = 0; attempt < 1_000_000; attempt++) {
      const x = mean + std * g.normal();
      if (x >= a && x <= b) return x;
    }
    throw new ValueError(`truncNormal_: [${a}, ${b}] holds almost none of N(${mean}, ${std}²); move the bounds nearer the mean`);
  });
}

/** Fills with `value` (any dtype). */
export function constant_(t: Tensor, value: number): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError('constant_: expected a Tensor');
  if (typeof value !== 'number') {
    throw new ValueError(`constant_: value must be a number, got ${String(value)}`);
  }
  t.values.fill(t.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills a 2-D tensor with the identity (ones on the diagonal of a rectangle). */
export function eye_(t: Tensor): Tensor {
  if (t.rank !== 2) throw new ValueError(`eye_: the tensor must be 2-D, got shape ${fmtShape(t.shape)}`);
  const cols = t.shape[1];
  constant_(t, 0);
  for (let i = 0; i < Math.min(t.shape[0], cols); i++) t.values[i * cols + i] = 1;
  return t;
}

/** Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, options);
}

/** Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky relu that follows (0 for relu). Default 0. */
  a?: number;
  /** 'fanIn' keeps the variance of activations forward, 'fanOut' of gradients backward. */
  mode?: 'fanIn' | 'fanOut';
  /** Default 'leakyRelu' (with `a` as slope), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const fans = calculateFanInAndFanOut(t);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fans.fanIn : fans.fanOut);
}

/** He uniform: U(−b, b) with b = gain·√(3 / fan), gain from `nonlinearity` and `a`. */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -bound, bound, options);
}

/** He normal: N(0, std²) with std = gain / √fan. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options), options);
}

/** LeCun uniform (for SELU networks): U(−b, b) with b = √(3 / fanIn). */
export function lecunUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  const bound = Math.sqrt(3 / calculateFanInAndFanOut(t).fanIn);
  return uniform_(t, -bound, bound, options);
}

/** Standard deviation of N(0, 1) truncated to [−2, 2], by which Keras widens its truncated initializers. */
const TRUNCATED_STD = 0.87962566103423978;

/**
 * LeCun normal as Keras defines it: a normal truncated at two standard deviations, scaled
 * so that the variance is 1 / fanIn.
 */
export function lecunNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  const std = Math.sqrt(1 / calculateFanInAndFanOut(t).fanIn) / TRUNCATED_STD;
  return truncNormal_(t, 0, std, -2 * std, 2 * std, options);
}

/**
 * A (semi-)orthogonal matrix times `gain`: the tensor, viewed as [shape[0], rest], gets
 * orthonormal rows (or columns, whichever are fewer). Made from a Gaussian matrix by a QR
 * decomposition with positive diagonal, so it is uniformly distributed (Haar).
 */
export function orthogonal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  if (t.rank < 2) throw new ValueError(`orthogonal_: the tensor needs at least 2 dimensions, got shape ${fmtShape(t.shape)}`);
  finite('orthogonal_', 'gain', gain);
  if (!isFloatDType(t.dtype)) throw new DTypeError(`orthogonal_: the tensor must be float32 or float64, got ${t.dtype}`);
  if (t.size === 0) return t;
  const rows = t.shape[0];
  const cols = t.size / rows;
  // factor the tall orientation: n ≥ m, orthonormal columns
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const g = options.generator ?? globalGenerator;
  const q = new Float64Array(n * m); // column-major: column j at [j*n, (j+1)*n)
  for (let i = 0; i < q.length; i++) q[i] = g.normal();
  gramSchmidt(q, n, m);
  // q column j, entry i is element (i, j) of the tall matrix; transpose back when wide
  const v = t.values;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      const x = gain * q[j * n + i];
      if (rows >= cols) v[i * cols + j] = x;
      else v[j * cols + i] = x;
    }
  }
  return t;
}

/**
 * Orthonormalises the m columns (length n, column-major) in place by modified
 * Gram–Schmidt, each projection done twice ("twice is enough") for float64 accuracy.
 * Positive norms make the result Q of the QR decomposition with positive diagonal R.
 */
function gramSchmidt(q: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    const cj = j * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const ck = k * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[ck + i] * q[cj + i];
        for (let i = 0; i < n; i++) q[cj + i] -= dot * q[ck + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[cj + i] * q[cj + i];
    norm = Math.sqrt(norm);
    // a zero column has probability zero for Gaussian input
    for (let i = 0; i < n; i++) q[cj + i] /= norm;
  }
}

export {
  xavierUniform_ as glorotUniform_,
  xavierNormal_ as glorotNormal_,
  kaimingUniform_ as heUniform_,
  kaimingNormal_ as heNormal_,
};

/**
 * PyTorch's default initialisation of Linear and convolution layers:
 * W ~ kaimingUniform(a = √5), b ~ U(±1/√fanIn).
 */
export function linearDefaultInit_(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const bound = 1 / Math.sqrt(calculateFanInAndFanOut(weight).fanIn);
    uniform_(bias, -bound, bound);
  }
}
