import { DTypeError, ValueError } from '../errors.js';
import { isDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, checkArgs, type LayerConfig } from './layer.js';
import { Node, SymbolicTensor, type Shape } from './symbolic.js';
import { uniqueName } from './names.js';
import { registerLayer } from './registry.js';

/** Arguments of `sd.input`. */
export interface InputArgs {
  /** Shape of one sample, without the batch axis: [28, 28]. null for unknown sizes. */
  shape?: Shape;
  /** Shape with the batch axis; overrides shape. */
  batchShape?: Shape;
  /** Fixed batch size, with shape. */
  batchSize?: number;
  /** Default `input_1`, `input_2`, ... */
  name?: string;
  /** dtype of the data fed here: 'float32' (default), 'int32' for token ids, ... */
  dtype?: DType;
}

/**
 * The entry point of a functional model: a layer without inputs whose output is the
 * SymbolicTensor `sd.input` returns. Data given to the model is cast to its dtype.
 */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  /** dtype of the data this input takes. */
  readonly inputDType: DType;

  constructor(args: { batchInputShape?: Shape; inputShape?: Shape; batchSize?: number; name?: string; dtype?: DType; sparse?: boolean }) {
    checkArgs('InputLayer', args, ['batchInputShape', 'inputShape', 'batchSize', 'name', 'dtype', 'sparse']);
    const dtype = args.dtype ?? 'float32';
    if (!isDType(dtype)) throw new DTypeError(`InputLayer: dtype must be one of float32, float64, int32, bool, got ${JSON.stringify(dtype)}`);
    if (args.batchInputShape === undefined && args.inputShape === undefined) {
      throw new ValueError(`InputLayer: give the shape of one sample (inputShape) or of a batch (batchInputShape)`);
    }
    super({
      name: args.name ?? uniqueName('input', false),
      batchInputShape: args.batchInputShape,
      inputShape: args.inputShape,
      batchSize: args.batchSize,
    });
    this.inputDType = dtype;
    const shape = this.batchInputShape as Shape;
    this.built = true;
    this.builtInputShape = shape;
    this.inboundNodes.push(new Node(this, [], [new SymbolicTensor(shape, dtype, this, 0, 0)], 0));
  }

  /** The SymbolicTensor this input stands for. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, batchInputShape: [...(this.batchInputShape as Shape)], dtype: this.inputDType, sparse: false };
  }
}

registerLayer(InputLayer);

/**
 * A symbolic input of a functional model (tfjs `tf.input`, Keras `Input`).
 *
 * ```ts
 * const x = sd.input({ shape: [784] });                 // SymbolicTensor (None, 784)
 * const y = sd.layers.dense({ units: 10 }).apply(x);
 * const model = sd.model({ inputs: x, outputs: y });
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  checkArgs('input', args, ['shape', 'batchShape', 'batchSize', 'name', 'dtype']);
  if (args.shape === undefined && args.batchShape === undefined) {
    throw new ValueError(`input: give the shape of one sample, e.g. sd.input({ shape: [784] })`);
  }
  return new InputLayer({
    inputShape: args.batchShape === undefined ? args.shape : undefined,
    batchInputShape: args.batchShape,
    batchSize: args.batchSize,
    name: args.name,
    dtype: args.dtype,
  }).output;
}
