import type { Tensor } from '../tensor/tensor.js';
import { Linear } from '../nn/linear.js';
import { Layer, knownAxis, type InputSpec, type LayerArgs, type LayerConfig } from './layer.js';
import { KERNEL_KEYS, KernelOptions, positiveIntArg, type KernelArgs } from './kernel-args.js';
import type { Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

export interface DenseArgs extends LayerArgs, KernelArgs {
  /** Size of the output's last axis. */
  units: number;
  /** Size of the input's last axis, for the first layer (same as inputShape: [inputDim]). */
  inputDim?: number;
}

/**
 * Fully connected layer (Keras `Dense`): y = activation(x·Wᵀ + b), applied to the last
 * axis. Runs an `nn.Linear` created at build, whose weight is the kernel [units, inputDim].
 *
 * Shapes: (batch, ..., inputDim) → (batch, ..., units). Parameters: inputDim·units + units.
 *
 * ```ts
 * sd.layers.dense({ units: 128, activation: 'relu', inputShape: [784] });
 * ```
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  readonly units: number;
  readonly kernel: KernelOptions;
  declare module: Linear | null;

  constructor(args: DenseArgs) {
    const withDim = args?.inputDim !== undefined && args.inputShape === undefined ? { ...args, inputShape: [args.inputDim] } : args;
    super(withDim, ['units', 'inputDim', ...KERNEL_KEYS]);
    this.units = positiveIntArg('Dense', 'units', args.units);
    this.kernel = new KernelOptions('Dense', args);
  }

  protected override build(inputShape: Shape): void {
    const inDim = knownAxis(this.label, inputShape, -1, 'last axis');
    this.module = new Linear(inDim, this.units, { bias: this.kernel.useBias, dtype: this.dtype });
    this.kernel.initialize(this.module.weight, this.module.bias);
    this.kernel.fuseInto(this.module);
  }

  call(x: Tensor): Tensor {
    return this.kernel.activate(this.module!.call(x));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override inputSpec(): InputSpec {
    return { minRank: 2, axes: { [-1]: this.module!.inFeatures } };
  }

  override regularizationLosses(): Tensor[] {
    return this.kernel.penalties(this.module!.weight, this.module!.bias);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, ...this.kernel.config() };
  }
}
registerLayer(Dense);
