import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { zeros } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { embedding } from '../ops/embedding.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { normal_ } from './init.js';
import { asLayer, boolArg, dtypeArg, layerArgs, layerLabel, positiveInt, tensorInput, type FloatDType } from './layer-utils.js';

/** Constructor arguments of Embedding (what `getConfig()` returns). */
export interface EmbeddingConfig {
  /** V, the number of rows (the vocabulary size). */
  numEmbeddings: number;
  /** D, the size of each row. */
  embeddingDim: number;
  /**
   * A row that is initialised to zeros and receives no gradient (the padding token);
   * negative counts from the end. Default none.
   */
  paddingIdx?: number | null;
  dtype?: FloatDType;
}

export type EmbeddingOptions = Omit<EmbeddingConfig, 'numEmbeddings' | 'embeddingDim'>;

/**
 * A lookup table of learned vectors, PyTorch's `nn.Embedding`: index i gives row i of
 * `weight` [numEmbeddings, embeddingDim], initialised from N(0, 1) (the padding row zero).
 *
 * Shapes: int32 indices of any shape I → [...I, embeddingDim].
 *
 * ```ts
 * const emb = new sd.nn.Embedding(10000, 64, { paddingIdx: 0 });
 * emb.call(sd.tensor([[5, 17, 0]], undefined, 'int32')).shape; // [1,3,64]
 * sd.nn.Embedding.fromPretrained(vectors);                    // frozen table
 * ```
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row as a non-negative index, or null. */
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(config: EmbeddingConfig);
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions);
  constructor(numEmbeddings: number, embeddingDim: number, paddingIdx: number | null, options?: Omit<EmbeddingOptions, 'paddingIdx'>);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<EmbeddingConfig>('Embedding', args, ['numEmbeddings', 'embeddingDim', 'paddingIdx', 'dtype'], 3);
    this.numEmbeddings = positiveInt('Embedding', 'numEmbeddings', c.numEmbeddings);
    this.embeddingDim = positiveInt('Embedding', 'embeddingDim', c.embeddingDim);
    const n = this.numEmbeddings;
    const p = c.paddingIdx;
    if (p !== undefined && p !== null && (typeof p !== 'number' || !Number.isInteger(p) || p < -n || p >= n)) {
      throw new ValueError(`Embedding: paddingIdx must be an integer in ${-n}..${n - 1} (numEmbeddings is ${n}), got ${String(p)}`);
    }
    this.paddingIdx = p === undefined || p === null ? null : p < 0 ? p + n : p;
    this.weight = new Parameter(zeros([n, this.embeddingDim], dtypeArg('Embedding', c.dtype)));
    this.resetParameters();
  }

  /**
   * An Embedding holding a copy of `embeddings` [V, D]; frozen (no gradient) unless
   * `freeze` is false.
   */
  static fromPretrained(embeddings: Tensor, options: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    if (!(embeddings instanceof Tensor) || embeddings.rank !== 2) {
      const got = embeddings instanceof Tensor ? `shape ${fmtShape(embeddings.shape)}` : String(embeddings);
      throw new ShapeError(`Embedding.fromPretrained: embeddings must be a 2-D Tensor [V, D], got ${got}`);
    }
    if (embeddings.dtype !== 'float32' && embeddings.dtype !== 'float64') {
      throw new DTypeError(`Embedding.fromPretrained: embeddings must be float32 or float64, got ${embeddings.dtype}`);
    }
    const freeze = boolArg('Embedding.fromPretrained', 'freeze', options.freeze ?? true);
    const [rows, dim] = embeddings.shape;
    const layer = new Embedding(rows, dim, { paddingIdx: options.paddingIdx, dtype: embeddings.dtype });
    layer.weight.values.set(embeddings.values);
    layer.weight.requiresGrad_(!freeze);
    return layer;
  }

  /** Draws N(0, 1) rows again and zeroes the padding row. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const d = this.embeddingDim;
      this.weight.values.fill(0, this.paddingIdx * d, (this.paddingIdx + 1) * d);
    }
  }

  forward(indices: Tensor): Tensor {
    const label = layerLabel(this);
    const input = tensorInput(label, indices);
    if (input.dtype !== 'int32') {
      throw new DTypeError(`${label}: input must hold int32 indices, got ${input.dtype} (cast it with sd.cast(x, 'int32'))`);
    }
    return asLayer(this, () => embedding(this.weight, input, this.paddingIdx === null ? {} : { paddingIdx: this.paddingIdx }));
  }

  getConfig(): Required<EmbeddingConfig> {
    return {
      numEmbeddings: this.numEmbeddings,
      embeddingDim: this.embeddingDim,
      paddingIdx: this.paddingIdx,
      dtype: this.weight.dtype as FloatDType,
    };
  }

  override extraRepr(): string {
    const padding = this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`;
    return `${this.numEmbeddings}, ${this.embeddingDim}${padding}`;
  }
}
