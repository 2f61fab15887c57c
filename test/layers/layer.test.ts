import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

/** One instance of every built-in layer, with the input shape (no batch axis) it takes. */
function everyLayer(): [sd.layers.Layer, number[]][] {
  return [
    [sd.layers.dense({ units: 3, activation: 'tanh', kernelRegularizer: 'l2' }), [5]],
    [sd.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2 }), [9, 4]],
    [sd.layers.conv2d({ filters: 2, kernelSize: [3, 2], dilationRate: 2, padding: 'same', useBias: false }), [7, 6, 3]],
    [sd.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), [4, 4, 3]],
    [sd.layers.maxPooling1d({ poolSize: 3, padding: 'same' }), [7, 2]],
    [sd.layers.maxPooling2d({ poolSize: [2, 3] }), [6, 6, 2]],
    [sd.layers.averagePooling1d(), [6, 2]],
    [sd.layers.averagePooling2d({ strides: 1, padding: 'same' }), [5, 5, 2]],
    [sd.layers.globalAveragePooling1d(), [6, 2]],
    [sd.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }), [3, 5, 5]],
    [sd.layers.globalMaxPooling1d(), [6, 2]],
    [sd.layers.globalMaxPooling2d(), [5, 5, 2]],
    [sd.layers.flatten(), [2, 3, 4]],
    [sd.layers.reshape({ targetShape: [4, -1] }), [2, 6]],
    [sd.layers.dropout({ rate: 0.5 }), [4]],
    [sd.layers.gaussianNoise({ stddev: 0.2 }), [4]],
    [sd.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-2 }), [3, 3, 2]],
    [sd.layers.layerNormalization(), [2, 5]],
    [sd.layers.embedding({ inputDim: 10, outputDim: 3, embeddingsInitializer: 'glorotUniform' }), [4]],
    [sd.layers.activation({ activation: 'hard_sigmoid' }), [4]],
  ];
}

describe('Layer', () => {
  beforeEach(() => sd.models.clearSession());

  it('computes the output shape it reports, for every layer, symbolically and on data', () => {
    sd.seed(0);
    for (const [layer, shape] of everyLayer()) {
      const symbolic = layer.apply(sd.input({ shape, dtype: layer.className === 'Embedding' ? 'int32' : 'float32' }));
      const data = layer.className === 'Embedding' ? sd.randint(0, 10, [2, ...shape]) : sd.randn([2, ...shape]);
      const out = layer.apply(data, { training: true });
      assert.deepEqual([...out.shape], [2, ...symbolic.shape.slice(1)], `${layer.className}: ${String(symbolic)}`);
      assert.equal(symbolic.sourceLayer, layer);
    }
  });

  it('rebuilds every layer from its config', () => {
    for (const [layer, shape] of everyLayer()) {
      layer.ensureBuilt([null, ...shape]);
      const config = layer.getConfig();
      const copy = sd.layers.layerFromConfig(JSON.parse(JSON.stringify(layer.serialize())));
      assert.equal(copy.className, layer.className);
      assert.deepEqual(copy.getConfig(), config, layer.className);
      copy.ensureBuilt([null, ...shape]);
      assert.equal(copy.countParams(), layer.countParams(), layer.className);
    }
    assertThrows(() => sd.layers.layerFromConfig({ className: 'Densse', config: {} }), sd.ValueError, /unknown layer class "Densse"; known: Activation, Add,/);
  });

  it('registers custom layers for configs and model files', () => {
    class Scale extends sd.layers.Layer {
      static override readonly className: string = 'Scale';
      readonly factor: number;
      constructor(args: sd.layers.LayerArgs & { factor?: number } = {}) {
        super(args, ['factor']);
        this.factor = args.factor ?? 2;
      }
      call(x: sd.Tensor): sd.Tensor {
        return sd.mul(x, this.factor);
      }
      override getConfig(): sd.layers.LayerConfig {
        return { ...super.getConfig(), factor: this.factor };
      }
    }
    sd.layers.registerLayer(Scale);
    const x = sd.input({ shape: [2] });
    const model = sd.model({ inputs: x, outputs: new Scale({ factor: 3 }).apply(x) });
    const copy = sd.models.modelFromJSON(model.toJSON());
    assertClose(copy.predict(sd.ones([1, 2])) as sd.Tensor, [[3, 3]]);
  });

  it('rejects unknown options, naming the camelCase one', () => {
    assertThrows(() => sd.layers.dense({ units: 2, input_shape: [3] } as never), sd.ValueError, /Dense: unknown option 'input_shape' \(did you mean 'inputShape'\?\); valid options: name, inputShape/);
    assertThrows(() => sd.layers.flatten([3] as never), sd.ValueError, /Flatten: expected an options object/);
    assertThrows(() => sd.layers.dense({ units: 2, name: 'a.b' }), sd.ValueError, /name must be a non-empty string without '.' or '\/'/);
    assertThrows(() => sd.layers.dense({ units: 2, inputShape: [-1] }), sd.ValueError, /Dense: inputShape must be an array of sizes/);
  });

  it('applies to symbolic or concrete inputs, not a mix', () => {
    const dense = sd.layers.dense({ units: 2 });
    assertThrows(() => dense.apply([sd.input({ shape: [3] }), sd.ones([1, 3])] as never), sd.ValueError, /apply takes Tensors or SymbolicTensors .*not a mix; got \[SymbolicTensor, Tensor\]/);
    assertThrows(() => dense.apply([sd.ones([1, 3]), sd.ones([1, 3])]), sd.ValueError, /dense \(Dense\): expects 1 input, got 2/);
    assertThrows(() => sd.layers.dense({ units: 2 }).apply(sd.input({ shape: [null] })), sd.ValueError, /the last axis \(axis -1\) of the input must be known to build the layer, got shape \(None, None\)/);
  });

  it('shares its weights with the sd.nn module it wraps: one implementation, two faces', () => {
    const dense = sd.layers.dense({ units: 2, inputShape: [3] });
    const x = sd.randn([4, 3]);
    dense.apply(x);
    const linear = dense.module as sd.nn.Module & { weight: sd.Tensor; bias: sd.Tensor };
    assert.equal(linear.constructor.name, 'Linear');
    assert.equal(dense.weights[0], linear.weight);
    assertClose(dense.apply(x), sd.linear(x, linear.weight, linear.bias));
    assert.deepEqual(Object.keys(dense.stateDict()), ['weight', 'bias']);
    // the Keras layer's forward runs the module's hooks
    let calls = 0;
    linear.registerForwardHook(() => void calls++);
    dense.apply(x);
    assert.equal(calls, 1);
  });

  it('freezes weights with trainable = false', () => {
    const dense = sd.layers.dense({ units: 2, inputShape: [3] });
    dense.ensureBuilt([null, 3]);
    assert.equal(dense.trainableWeights.length, 2);
    dense.trainable = false;
    assert.equal(dense.trainableWeights.length, 0);
    assert.equal(dense.nonTrainableWeights.length, 2);
    assert.ok(dense.weights.every((w) => !w.requiresGrad));
    assert.equal(sd.layers.layerFromConfig(dense.serialize()).trainable, false);
  });

  it('gets and sets weights by value, checking count and shapes', () => {
    const dense = sd.layers.dense({ units: 2 });
    dense.apply(sd.ones([1, 3]));
    const [w, b] = dense.getWeights();
    assert.deepEqual([[...w.shape], [...b.shape]], [[2, 3], [2]]);
    w.values.fill(1);
    assert.notEqual(dense.weights[0].values[0], 1, 'getWeights copies');
    dense.setWeights([w, sd.tensor([10, 20])]);
    assertClose(dense.apply(sd.ones([1, 3])), [[13, 23]]);
    assertThrows(() => dense.setWeights([w]), sd.ValueError, /setWeights expects 2 tensors, got 1/);
    assertThrows(() => dense.setWeights([b, w]), sd.ShapeError, /weight 0 has shape \(2, 3\), got \(2,\)/);
  });

  it('gradients flow through a layer (float64 gradient check)', () => {
    sd.seed(4);
    const dense = sd.layers.dense({ units: 3, activation: 'tanh', dtype: 'float64' });
    const conv = sd.layers.conv2d({ filters: 2, kernelSize: 2, dtype: 'float64', padding: 'same' });
    const bn = sd.layers.batchNormalization({ dtype: 'float64' });
    const x = sd.randn([2, 4], { dtype: 'float64' }).requiresGrad_();
    const img = sd.randn([2, 3, 3, 2], { dtype: 'float64' }).requiresGrad_();
    const prev = sd.getBackend();
    sd.setBackend('js');
    try {
      dense.apply(x);
      conv.apply(img);
      bn.apply(img);
      assert.ok(sd.gradcheck((t) => dense.apply(t), [x]));
      assert.ok(sd.gradcheck((t) => conv.apply(t), [img]));
      assert.ok(sd.gradcheck((t) => bn.apply(t, { training: true }), [img]));
    } finally {
      sd.setBackend(prev);
    }
  });
});
