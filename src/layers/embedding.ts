import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { Embedding as EmbeddingModule } from '../nn/embedding.js';
import { cast } from '../ops/cast.js';
import { Layer, type LayerArgs, type LayerConfig } from './layer.js';
import { positiveIntArg } from './kernel-args.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import type { Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices are in [0, inputDim). */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Default 'randomUniform' (U(−0.05, 0.05)), as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Length of the input sequences, for the first layer (same as inputShape: [inputLength]). */
  inputLength?: number;
}

/**
 * Keras `Embedding`: turns integer indices into learned vectors, (batch, steps) →
 * (batch, steps, outputDim). An nn.Embedding with table [inputDim, outputDim]; float
 * inputs are truncated to int32 indices.
 *
 * ```ts
 * sd.layers.embedding({ inputDim: 10000, outputDim: 64, inputLength: 200 });
 * ```
 */
export class Embedding extends Layer {
  static override readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  declare module: EmbeddingModule;

  constructor(args: EmbeddingArgs) {
    const withLength = args?.inputLength !== undefined && args.inputShape === undefined ? { ...args, inputShape: [args.inputLength] } : args;
    super(withLength, ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'inputLength']);
    this.inputDim = positiveIntArg('Embedding', 'inputDim', args.inputDim);
    this.outputDim = positiveIntArg('Embedding', 'outputDim', args.outputDim);
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'randomUniform', 'embeddingsInitializer');
    this.embeddingsRegularizer = args.embeddingsRegularizer ? getRegularizer(args.embeddingsRegularizer) : null;
    this.module = new EmbeddingModule(this.inputDim, this.outputDim, { dtype: this.dtype });
    this.embeddingsInitializer.apply(this.module.weight);
  }

  /** Token ids come as int32. */
  override get defaultInputDType(): DType {
    return 'int32';
  }

  protected override get castsInputs(): boolean {
    return false;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  call(x: Tensor): Tensor {
    return this.module.call(x.dtype === 'int32' ? x : cast(x, 'int32'));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  override regularizationLosses(): Tensor[] {
    return this.embeddingsRegularizer ? [this.embeddingsRegularizer.apply(this.module.weight)] : [];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: this.embeddingsRegularizer ? serializeRegularizer(this.embeddingsRegularizer) : null,
    };
  }
}

registerLayer(Embedding);
