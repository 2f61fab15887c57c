import { ValueError } from '../errors.js';

/**
 * A generator's position in its stream, as plain JSON: the four xoshiro128** words and the
 * spare Box–Muller normal (null when none is kept). Saved in checkpoints so that training
 * resumes with the same shuffles and dropout masks.
 */
export interface GeneratorState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

/**
 * The seeded generator behind every random op (rand, randn, dropout masks, shuffling,
 * initializers). xoshiro128** seeded through splitmix32: fast, 32-bit only, and the same
 * stream on every platform, so `sd.seed(n)` reproduces a run bit for bit.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** A second normal from Box–Muller, kept for the next call. */
  private spareNormal: number | undefined;

  constructor(seed: number = Date.now()) {
    this.seed(seed);
  }

  seed(seed: number): void {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = undefined;
  }

  /**
   * The position in the stream (a copy): `setState` of it, here or on another generator,
   * continues with the same numbers.
   *
   * ```ts
   * const state = g.getState();
   * const a = g.uniform();
   * g.setState(state);
   * g.uniform() === a; // true
   * ```
   */
  getState(): GeneratorState {
    return { words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spareNormal: this.spareNormal ?? null };
  }

  /** Moves to a position `getState` returned; throws a ValueError (changing nothing) on anything else. */
  setState(state: GeneratorState): void {
    const words = (state as Partial<GeneratorState> | null)?.words;
    const spare = (state as Partial<GeneratorState> | null)?.spareNormal;
    const isWord = (w: unknown): w is number => Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 0xffffffff;
    if (!Array.isArray(words) || words.length !== 4 || !words.every(isWord) || words.every((w) => w === 0)) {
      throw new ValueError(`Generator.setState: words must be four unsigned 32-bit integers, not all zero, got ${JSON.stringify(words)}`);
    }
    if (spare !== null && !(typeof spare === 'number' && Number.isFinite(spare))) {
      throw new ValueError(`Generator.setState: spareNormal must be a finite number or null, got ${JSON.stringify(spare)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    this.spareNormal = spare ?? undefined;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform in [0, 1) on the float32 grid (24 random bits), so that rounding to float32
   * can never give 1.
   */
  uniformFloat32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal, by the Box–Muller transform. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills `out` with `value` where a draw of `uniform()` falls below `p` and 0 elsewhere:
   * the stream and the result of `out[i] = uniform() < p ? value : 0` (see bernoulliWords).
   */
  fillBernoulli(out: { [i: number]: number; length: number }, p: number, value: number): void {
    this.advanceWith((words) => bernoulliWords(words, out, p, value));
  }

  /**
   * Runs `fn` on the state as four words, then continues from the words it leaves: for
   * kernels that draw from this stream themselves (the dropout mask of the native
   * backend), so the numbers stay those of this generator.
   */
  advanceWith<T>(fn: (words: Uint32Array) => T): T {
    const words = STATE_WORDS;
    words[0] = this.s0;
    words[1] = this.s1;
    words[2] = this.s2;
    words[3] = this.s3;
    const result = fn(words);
    // stored as nextUint32 leaves them, so getState() is the same either way
    this.s0 = words[0] | 0;
    this.s1 = words[1] | 0;
    this.s2 = words[2] | 0;
    this.s3 = words[3] >>> 0;
    return result;
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }
}

/** Scratch for advanceWith (single-threaded: one call at a time). */
const STATE_WORDS = new Uint32Array(4);

/**
 * out[i] = value where the i-th uniform() of the xoshiro128** stream in `words` (advanced
 * in place) is below p, else 0: two 32-bit draws per element, in one loop that keeps the
 * state in locals (dropout masks take a draw per activation every step). The native
 * backend's BernoulliFill computes the same numbers (native/src/random.cc).
 */
export function bernoulliWords(words: Uint32Array, out: { [i: number]: number; length: number }, p: number, value: number): void {
  let s0 = words[0] | 0;
  let s1 = words[1] | 0;
  let s2 = words[2] | 0;
  let s3 = words[3] | 0;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    // two nextUint32() steps, inlined; see Generator.nextUint32 and uniform
    let x = Math.imul(s1, 5);
    const hi = Math.imul((x << 7) | (x >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    x = Math.imul(s1, 5);
    const lo = Math.imul((x << 7) | (x >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = (hi * 67108864 + lo) / 9007199254740992 < p ? value : 0;
  }
  words[0] = s0;
  words[1] = s1;
  words[2] = s2;
  words[3] = s3;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The global generator used when an op is not given one. */
export const globalGenerator = new Generator();

/**
 * Seeds the global generator: the same seed, backend and thread count give the same run.
 * The seed is taken modulo 2^32.
 *
 * ```ts
 * sd.seed(42);
 * const a = sd.randn([3]);
 * sd.seed(42);
 * const b = sd.randn([3]); // equal to a, bit for bit
 * ```
 */
export function seed(value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValueError(`seed: expected an integer, got ${String(value)}`);
  }
  globalGenerator.seed(value);
}
