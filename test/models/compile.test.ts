import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

function small(): sd.Sequential {
  return sd.sequential([sd.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })]);
}

describe('compile', () => {
  it("gives the optimizer names Keras' defaults", () => {
    const cases: [string, unknown, Record<string, unknown>][] = [
      ['adam', sd.optim.Adam, { lr: 1e-3, eps: 1e-7 }],
      ['sgd', sd.optim.SGD, { lr: 1e-2 }],
      ['rmsprop', sd.optim.RMSprop, { lr: 1e-3, alpha: 0.9, eps: 1e-7 }],
      ['adagrad', sd.optim.Adagrad, { lr: 1e-3, initialAccumulatorValue: 0.1 }],
      ['adamw', sd.optim.AdamW, { lr: 1e-3, weightDecay: 0.004 }],
    ];
    for (const [name, cls, expected] of cases) {
      const model = small();
      model.compile({ optimizer: name, loss: 'mse' });
      assert.ok(model.optimizer instanceof (cls as typeof sd.optim.Optimizer), name);
      for (const [k, v] of Object.entries(expected)) assert.equal((model.optimizer!.paramGroups[0] as unknown as Record<string, unknown>)[k], v, `${name}.${k}`);
    }
  });

  it('takes an optimizer object, a factory, or a class name with options', () => {
    const model = small();
    const opt = new sd.optim.SGD(model.trainableWeights, { lr: 0.5 });
    model.compile({ optimizer: opt, loss: 'mse' });
    assert.equal(model.optimizer, opt);
    model.compile({ optimizer: (params) => new sd.optim.Adam(params, { lr: 0.02 }), loss: 'mse' });
    assert.equal((model.optimizer!.paramGroups[0] as { lr: number }).lr, 0.02);
    model.compile({ optimizer: { className: 'Adam', config: { lr: 0.3 } }, loss: 'mse' });
    assert.equal((model.optimizer!.paramGroups[0] as { lr: number }).lr, 0.3);
    const other = new sd.optim.SGD(small().trainableWeights);
    assertThrows(() => model.compile({ optimizer: other, loss: 'mse' }), sd.ValueError, /the optimizer does not hold 2 of the model's 2 trainable weights/);
    const frozen = sd.sequential([sd.layers.dense({ units: 2, inputShape: [3], trainable: false })]);
    assertThrows(() => frozen.compile({ optimizer: 'adam', loss: 'mse' }), sd.ValueError, /the model has no trainable weights to optimize/);
  });

  it('serializes the compile settings, and compiles again from them', () => {
    const model = small();
    model.compile({ optimizer: 'adam', loss: { name: 'categoricalCrossentropy', fromLogits: true }, metrics: ['accuracy'] });
    const config = model.getCompileConfig()!;
    assert.deepEqual(config.loss, { name: 'categoricalCrossentropy', fromLogits: true });
    assert.equal(config.optimizer.className, 'Adam');
    assert.equal(config.optimizer.config.lr, 1e-3);
    const copy = small();
    copy.compileFromConfig(JSON.parse(JSON.stringify(config)));
    assert.deepEqual(copy.getCompileConfig(), config);
    model.compile({ optimizer: 'adam', loss: (yTrue: sd.Tensor, yPred: sd.Tensor) => sd.mean(sd.square(sd.sub(yPred, yTrue))) });
    assert.equal(model.getCompileConfig(), null, 'a loss given as code is not saved');
    assert.equal(small().getCompileConfig(), null);
  });

  it('checks per-output losses and weights', () => {
    const x = sd.input({ shape: [2] });
    const a = sd.layers.dense({ units: 1, name: 'a' }).apply(x);
    const b = sd.layers.dense({ units: 1, name: 'b' }).apply(x);
    const model = sd.model({ inputs: x, outputs: [a, b] });
    assertThrows(() => model.compile({ optimizer: 'sgd', loss: ['mse'] }), sd.ValueError, /compile: loss has 1 entries but the model has 2 outputs \(a, b\)/);
    assertThrows(() => model.compile({ optimizer: 'sgd', loss: { a: 'mse', c: 'mae' } }), sd.ValueError, /compile: loss names output 'c', but the outputs are a, b/);
    assertThrows(() => model.compile({ optimizer: 'sgd', loss: { a: 'mse' } }), sd.ValueError, /compile: no loss for output 'b'/);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const dict = model.evaluate(sd.ones([4, 2]), [sd.zeros([4, 1]), sd.zeros([4, 1])], { returnDict: true }) as Record<string, number>;
    assert.deepEqual(Object.keys(dict), ['loss', 'a_loss', 'b_loss', 'a_mae', 'b_mae']);
  });

  it('takes a PyTorch-style loss module', async () => {
    const model = sd.sequential([sd.layers.dense({ units: 3, inputShape: [2] })]);
    model.compile({ optimizer: 'adam', loss: new sd.nn.CrossEntropyLoss(), metrics: ['accuracy'] });
    const h = await model.fit(sd.randn([8, 2]), sd.randint(0, 3, [8]), { verbose: 0 });
    assert.ok(Number.isFinite(h.history.loss[0]));
    assert.ok(h.history.accuracy[0] >= 0);
  });
});
