import { ValueError } from '../errors.js';
import type { Layer, LayerConfig, SerializedLayer } from './layer.js';

/** A layer class as the registry knows it: rebuilt from its config with `new`. */
export interface LayerClass {
  readonly className: string;
  new (config: any): Layer;
}

const classes = new Map<string, LayerClass>();

/**
 * Makes a layer class known to `layerFromConfig` (and so to model files), under its
 * `static className`. The built-in layers register themselves; register custom layers
 * before loading a model that uses them.
 *
 * ```ts
 * class Scale extends sd.layers.Layer { static override className = 'Scale'; ... }
 * sd.layers.registerLayer(Scale);
 * ```
 */
export function registerLayer(cls: LayerClass): void {
  if (typeof cls !== 'function' || typeof cls.className !== 'string' || cls.className === 'Layer') {
    throw new ValueError(`registerLayer: the class needs its own static className, e.g. static override className = 'MyLayer'`);
  }
  classes.set(cls.className, cls);
}

/** Builds a layer from `{className, config}` as `layer.serialize()` returns it. */
export function layerFromConfig(serialized: SerializedLayer): Layer {
  const className = serialized?.className;
  const cls = typeof className === 'string' ? classes.get(className) : undefined;
  if (!cls) {
    throw new ValueError(
      `layerFromConfig: unknown layer class ${JSON.stringify(className)}; known: ${[...classes.keys()].sort().join(', ')} ` +
        `(register custom layers with sd.layers.registerLayer)`,
    );
  }
  return new cls({ ...(serialized.config as LayerConfig) });
}
