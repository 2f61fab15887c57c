import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose } from '../helpers.js';

/** A residual block: x + dense(relu(dense(x))), then a classifier. */
function residualModel(): sd.LayersModel {
  const x = sd.input({ shape: [16] });
  const h = sd.layers.dense({ units: 16, activation: 'relu' }).apply(x);
  const h2 = sd.layers.dense({ units: 16 }).apply(h);
  const r = sd.layers.activation({ activation: 'relu' }).apply(sd.layers.add([x, h2]));
  const out = sd.layers.dense({ units: 3, activation: 'softmax' }).apply(r);
  return sd.model({ inputs: x, outputs: out, name: 'residual' });
}

/** An Inception-like block on 8x8x4 images: 1x1, 3x3 and pooled branches, concatenated on channels. */
function inceptionModel(): sd.LayersModel {
  const x = sd.input({ shape: [8, 8, 4] });
  const b1 = sd.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu' }).apply(x);
  const b2a = sd.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(x);
  const b2 = sd.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(b2a);
  const b3a = sd.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
  const b3 = sd.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu' }).apply(b3a);
  const merged = sd.layers.concatenate({ axis: -1 }).apply([b1, b2, b3]);
  const pooled = sd.layers.globalAveragePooling2d().apply(merged);
  const out = sd.layers.dense({ units: 5, activation: 'softmax' }).apply(pooled);
  return sd.model({ inputs: x, outputs: out });
}

describe('functional models', () => {
  beforeEach(() => sd.models.clearSession());

  it('builds a residual block, predicts, and trains a step', () => {
    sd.seed(0);
    const model = residualModel();
    assert.deepEqual(model.layers.map((l) => l.className), ['InputLayer', 'Dense', 'Dense', 'Add', 'Activation', 'Dense']);
    assert.equal(model.countParams(), 2 * (16 * 16 + 16) + 16 * 3 + 3);
    const x = sd.randn([10, 16]);
    const y = sd.randint(0, 3, [10]);
    const p = model.predict(x) as sd.Tensor;
    assert.deepEqual([...p.shape], [10, 3]);
    // the block computes what its layers compute by hand
    const [d1, d2, , , d3] = model.layers.slice(1) as sd.layers.Dense[];
    const byHand = sd.softmax(sd.linear(sd.relu(sd.add(x, sd.linear(sd.relu(sd.linear(x, d1.module!.weight, d1.module!.bias!)), d2.module!.weight, d2.module!.bias!))), d3.module!.weight, d3.module!.bias!));
    assertClose(p, byHand, { atol: 1e-6 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const before = model.getWeights();
    const [loss] = model.trainOnBatch(x, y) as number[];
    assert.ok(Number.isFinite(loss));
    model.getWeights().forEach((w, i) => assert.notDeepEqual([...w.values], [...before[i].values], `weight ${i} moved`));
  });

  it('builds an Inception-like block with concatenate, and trains', async () => {
    sd.seed(0);
    const model = inceptionModel();
    const concat = model.layers.find((l) => l.className === 'Concatenate')!;
    assert.deepEqual([...concat.outputShape], [null, 8, 8, 12]);
    const x = sd.randn([6, 8, 8, 4]);
    const y = sd.randint(0, 5, [6]);
    assert.deepEqual([...(model.predict(x) as sd.Tensor).shape], [6, 5]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 6, verbose: 0 });
    assert.ok(h.history.loss[2] < h.history.loss[0]);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /^ concatenate \(Concatenate\)\s+\(None, 8, 8, 12\)\s+0\s+\['conv2d\[0\]\[0\]',$/.test(l)), lines.join('\n'));
  });

  it('takes several inputs and outputs, with a loss per output', async () => {
    sd.seed(1);
    const a = sd.input({ shape: [3], name: 'a' });
    const b = sd.input({ shape: [2], name: 'b' });
    const joined = sd.layers.concatenate().apply([a, b]);
    const h = sd.layers.dense({ units: 8, activation: 'relu' }).apply(joined);
    const cls = sd.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(h);
    const reg = sd.layers.dense({ units: 1, name: 'reg' }).apply(h);
    const model = sd.model({ inputs: [a, b], outputs: [cls, reg] });
    model.compile({ optimizer: 'adam', loss: { cls: 'sparseCategoricalCrossentropy', reg: 'mse' }, metrics: { cls: ['accuracy'] }, lossWeights: [1, 0.5] });
    const xa = sd.randn([8, 3]);
    const xb = sd.randn([8, 2]);
    const yc = sd.randint(0, 2, [8]);
    const yr = sd.randn([8, 1]);
    const history = await model.fit({ a: xa, b: xb }, [yc, yr], { epochs: 2, verbose: 0 });
    assert.deepEqual(Object.keys(history.history), ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy']);
    const total = history.history.loss[0];
    assert.ok(Math.abs(total - (history.history.cls_loss[0] + 0.5 * history.history.reg_loss[0])) < 1e-5);
    const [pc, pr] = model.predict([xa, xb]) as sd.Tensor[];
    assert.deepEqual([[...pc.shape], [...pr.shape]], [[8, 2], [8, 1]]);
    const result = model.evaluate([xa, xb], { cls: yc, reg: yr }, { returnDict: true }) as Record<string, number>;
    assert.deepEqual(Object.keys(result), ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy']);
  });

  it('shares a layer between two branches (one set of weights, two nodes)', () => {
    const shared = sd.layers.dense({ units: 4 });
    const a = sd.input({ shape: [3] });
    const b = sd.input({ shape: [3] });
    const model = sd.model({ inputs: [a, b], outputs: sd.layers.subtract().apply([shared.apply(a), shared.apply(b)]) });
    assert.equal(model.countParams(), 16);
    assert.equal(shared.inboundNodes.length, 2);
    const x = sd.randn([2, 3]);
    assertClose(model.predict([x, x]) as sd.Tensor, sd.zeros([2, 4]));
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /^ dense \(Dense\)\s+\(None, 4\)\s+16\s+\['input_\d\[0\]\[0\]',$/.test(l)), lines.join('\n'));
  });

  it('round-trips the architecture through JSON and gives the same predictions with the same weights', () => {
    sd.seed(2);
    for (const make of [residualModel, inceptionModel]) {
      const model = make();
      const json = JSON.stringify(model.toJSON());
      const copy = sd.models.modelFromJSON(json);
      assert.deepEqual(copy.toJSON(), JSON.parse(json));
      assert.deepEqual(copy.layers.map((l) => l.name), model.layers.map((l) => l.name));
      copy.setWeights(model.getWeights());
      const x = make === residualModel ? sd.randn([3, 16]) : sd.randn([3, 8, 8, 4]);
      assert.deepEqual([...(copy.predict(x) as sd.Tensor).values], [...(model.predict(x) as sd.Tensor).values]);
      assert.deepEqual(Object.keys(copy.stateDict()), Object.keys(model.stateDict()));
    }
  });

  it('rebuilds shared layers and call arguments from JSON', () => {
    const shared = sd.layers.dense({ units: 2 });
    const x = sd.input({ shape: [2] });
    const model = sd.model({ inputs: x, outputs: shared.apply(shared.apply(x)) });
    const copy = sd.models.modelFromJSON(model.toJSON());
    assert.equal(copy.getLayer(shared.name).inboundNodes.length, 2);
    assert.equal(copy.countParams(), 6);
    // a dropout applied with {training: true} drops even in predict, before and after the round trip
    const always = sd.layers.dropout({ rate: 0.5 }).apply(x, { training: true });
    for (const m of [sd.model({ inputs: x, outputs: always }), sd.models.modelFromJSON(sd.model({ inputs: x, outputs: always }).toJSON())]) {
      const out = m.predict(sd.ones([100, 2])) as sd.Tensor;
      assert.ok([...out.values].some((v) => v === 0) && [...out.values].some((v) => v === 2));
    }
  });

  it('runs eagerly with model.apply and records gradients', () => {
    const model = residualModel();
    const x = sd.randn([2, 16]);
    const y = model.apply(x) as sd.Tensor;
    sd.sum(y).backward();
    assert.ok(model.trainableWeights.every((w) => w.grad !== null));
    // layers applied to concrete tensors run now, in inference mode by default
    const drop = sd.layers.dropout({ rate: 0.9 });
    const ones = sd.ones([4, 4]);
    assert.equal(drop.apply(ones), ones);
    assert.notDeepEqual([...drop.apply(ones, { training: true }).values], [...ones.values]);
  });

  it('exposes the layers as an sd.nn module: the PyTorch face of the model', () => {
    const model = residualModel();
    const module = model.module;
    assert.deepEqual(Object.keys(module.stateDict()), Object.keys(model.stateDict()));
    assert.deepEqual(module.namedChildren().map(([n]) => n), ['dense', 'dense_1', 'dense_2']);
    assert.ok(module.toString().includes('(dense): Linear(in_features=16, out_features=16, bias=True)'));
    assert.equal(model.parameters().length, 6);
  });
});
