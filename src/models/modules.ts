import { Module } from '../nn/module.js';
import type { Layer } from '../layers/layer.js';

/**
 * The sd.nn modules of a Keras-style model's layers, as one Module whose children are
 * named after the layers: the PyTorch face of the model (`stateDict()` keys such as
 * `dense.weight`, `train()`/`eval()`, printing the module tree).
 */
export class LayerModules extends Module {
  constructor(layers: readonly Layer[]) {
    super();
    for (const layer of layers) if (layer.module) this.registerModule(layer.name, layer.module);
  }

  forward(): never {
    throw new Error('LayerModules holds the modules of a Keras-style model; run the model with model.predict or model.apply');
  }
}
