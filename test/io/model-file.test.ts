import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

/**
 * The model file against a small stand-in for a Keras-style model: what `saveModel` and
 * `loadModel` ask of a model (toJSON, stateDict/loadStateDict, parameters, optimizer,
 * getCompileConfig/compileFromConfig), nothing more.
 */

interface TinyConfig {
  inputs: number;
  hidden: number;
  outputs: number;
}
interface TinyCompile {
  optimizer: 'adam' | 'sgd';
  lr: number;
}

class TinyModel extends sd.nn.Module {
  w1: sd.nn.Parameter;
  b1: sd.nn.Parameter;
  w2: sd.nn.Parameter;
  declare seen: sd.Tensor;
  optimizer: sd.optim.Optimizer | null = null;
  compileConfig: TinyCompile | null = null;

  constructor(readonly config: TinyConfig) {
    super();
    this.w1 = new sd.nn.Parameter(sd.randn([config.inputs, config.hidden]));
    this.b1 = new sd.nn.Parameter(sd.randn([config.hidden]));
    this.w2 = new sd.nn.Parameter(sd.randn([config.hidden, config.outputs]));
    this.registerBuffer('seen', sd.tensor(0, undefined, 'int32'));
  }

  forward(x: sd.Tensor): sd.Tensor {
    return sd.matmul(sd.tanh(sd.add(sd.matmul(x, this.w1), this.b1)), this.w2);
  }

  predict(x: sd.Tensor): sd.Tensor {
    return sd.noGrad(() => this.forward(x));
  }

  toJSON(): unknown {
    return { className: 'TinyModel', config: this.config };
  }

  compile(c: TinyCompile): void {
    this.compileConfig = c;
    const params = this.parameters();
    this.optimizer = c.optimizer === 'adam' ? new sd.optim.Adam(params, { lr: c.lr }) : new sd.optim.SGD(params, { lr: c.lr, momentum: 0.9 });
  }

  getCompileConfig(): unknown {
    return this.compileConfig;
  }

  compileFromConfig(c: unknown): void {
    this.compile(c as TinyCompile);
  }

  trainStep(x: sd.Tensor, y: sd.Tensor): void {
    this.optimizer!.zeroGrad();
    sd.mean(sd.square(sd.sub(this.forward(x), y))).backward();
    this.optimizer!.step();
    this.seen.values[0] += x.shape[0];
  }
}

/** A model without compile: its optimizer is rebuilt from sd.optim by class name. */
class PlainModel extends sd.nn.Module {
  a = new sd.nn.Parameter(sd.randn([3]));
  b = new sd.nn.Parameter(sd.randn([2, 3]));
  optimizer: sd.optim.Optimizer | null = null;
  forward(x: sd.Tensor): sd.Tensor {
    return sd.sum(sd.mul(sd.mul(this.b, this.a), x));
  }
  toJSON(): unknown {
    return JSON.stringify({ className: 'PlainModel' });
  }
}

sd.io.registerModelLoader('TinyModel', (a) => new TinyModel((a as { config: TinyConfig }).config));
sd.io.registerModelLoader('PlainModel', () => new PlainModel());

const bytesOf = (t: sd.Tensor): number[] => [...new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength)];

let dir = '';
before(() => {
  dir = fs.mkdtempSync(join(os.tmpdir(), 'shendu-model-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const x = sd.randn([8, 4]);
const y = sd.randn([8, 2]);
const makeTrained = (optimizer: TinyCompile['optimizer']): TinyModel => {
  const model = new TinyModel({ inputs: 4, hidden: 5, outputs: 2 });
  model.compile({ optimizer, lr: 0.01 });
  for (let i = 0; i < 3; i++) model.trainStep(x, y);
  return model;
};

/** Rewrites a file with its tensors and metadata changed by `edit`. */
function rewrite(path: string, edit: (c: sd.io.SafetensorsContent) => void): void {
  const content = sd.io.loadSafetensors(path);
  edit(content);
  fs.writeFileSync(path, sd.io.encodeSafetensors(content.tensors, content.metadata));
}

describe('model file', () => {
  it('rebuilds the model without user code; predictions identical bit for bit', () => {
    const model = makeTrained('adam');
    const path = join(dir, 'tiny.safetensors');
    sd.io.saveModel(model, path);
    const loaded = sd.loadModel<TinyModel>(path);
    assert.ok(loaded instanceof TinyModel);
    assert.notEqual(loaded, model);
    assert.deepEqual(loaded.config, model.config);
    assert.deepEqual(bytesOf(loaded.predict(x)), bytesOf(model.predict(x)));
    assert.equal(loaded.seen.item(), 24);
    // compiled as saved, with a fresh optimizer when the state was not included
    assert.deepEqual(loaded.compileConfig, { optimizer: 'adam', lr: 0.01 });
    assert.ok(loaded.optimizer instanceof sd.optim.Adam);
    assert.equal(loaded.optimizer.state.size, 0);
  });

  it('is a safetensors file whose weights load as a plain state dict', () => {
    const model = makeTrained('sgd');
    const path = join(dir, 'weights.safetensors');
    sd.io.saveModel(model, path);
    const { tensors, metadata } = sd.io.loadSafetensors(path);
    assert.deepEqual(Object.keys(tensors).sort(), ['b1', 'seen', 'w1', 'w2']);
    assert.equal(metadata.format, 'shendu.model');
    assert.equal(metadata.format_version, '1');
    assert.equal(metadata.model_class, 'TinyModel');
    assert.deepEqual(JSON.parse(metadata.architecture), { className: 'TinyModel', config: { inputs: 4, hidden: 5, outputs: 2 } });
    assert.deepEqual(JSON.parse(metadata.compile_config), { optimizer: 'sgd', lr: 0.01 });
    assert.equal(metadata.optimizer, undefined);
    const fresh = new TinyModel(model.config);
    fresh.loadStateDict(sd.io.loadStateDict(path));
    assert.deepEqual(bytesOf(fresh.predict(x)), bytesOf(model.predict(x)));
  });

  it('accepts an architecture given as JSON text', () => {
    const path = join(dir, 'plain.safetensors');
    const model = new PlainModel();
    sd.io.saveModel(model, path);
    const loaded = sd.loadModel<PlainModel>(path);
    assert.deepEqual(bytesOf(loaded.b), bytesOf(model.b));
    assert.equal(sd.io.loadSafetensors(path).metadata.model_class, 'PlainModel');
  });
});

describe('checkpoints resume training exactly', () => {
  for (const kind of ['adam', 'sgd'] as const) {
    it(`${kind}: optimizer state and epoch; training continues to the same weights as an uninterrupted run`, () => {
      const model = makeTrained(kind);
      const path = join(dir, `ckpt-${kind}.safetensors`);
      sd.io.saveModel(model, path, { includeOptimizer: true, epoch: 3, trainingState: { bestLoss: Infinity, note: 'x' } });

      const { model: resumed, optimizer, trainingState } = sd.io.loadCheckpoint<TinyModel>(path);
      assert.equal(optimizer, resumed.optimizer);
      const { generator, ...rest } = trainingState;
      assert.deepEqual(rest, { bestLoss: Infinity, note: 'x', epoch: 3 });
      assert.equal((generator as sd.GeneratorState).words.length, 4);
      for (let i = 0; i < 4; i++) {
        model.trainStep(x, y);
        resumed.trainStep(x, y);
      }
      for (const [name, t] of Object.entries(model.stateDict())) assert.deepEqual(bytesOf(resumed.stateDict()[name]), bytesOf(t), name);
    });
  }

  it('stores optimizer tensors as optimizer.state.<i>.<name> and the rest as JSON', () => {
    const path = join(dir, 'ckpt-names.safetensors');
    sd.io.saveModel(makeTrained('adam'), path, { includeOptimizer: true });
    const { tensors, metadata } = sd.io.loadSafetensors(path);
    assert.ok(tensors['optimizer.state.0.expAvg']);
    assert.ok(tensors['optimizer.state.2.expAvgSq']);
    const opt = JSON.parse(metadata.optimizer);
    assert.equal(opt.className, 'Adam');
    assert.deepEqual(opt.state['1'], { step: 3, expAvg: { $tensor: 'optimizer.state.1.expAvg' }, expAvgSq: { $tensor: 'optimizer.state.1.expAvgSq' } });
    assert.deepEqual(opt.paramGroups[0].params, [0, 1, 2]);
    assert.equal(opt.paramGroups[0].lr, 0.01);
    assert.equal(metadata.training_state, undefined);
  });

  it('rebuilds the optimizer from sd.optim, with its param groups, when the model does not compile', () => {
    const model = new PlainModel();
    model.optimizer = new sd.optim.SGD([{ params: [model.a] }, { params: [model.b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    const input = sd.randn([2, 3]);
    const step = (m: PlainModel): void => {
      m.optimizer!.zeroGrad();
      m.forward(input).backward();
      m.optimizer!.step();
    };
    step(model);
    step(model);
    const path = join(dir, 'plain-ckpt.safetensors');
    sd.io.saveModel(model, path, { includeOptimizer: true });
    const { model: resumed, optimizer } = sd.io.loadCheckpoint<PlainModel>(path);
    assert.ok(optimizer instanceof sd.optim.SGD);
    assert.equal(optimizer.paramGroups[1].lr, 0.5);
    resumed.optimizer = optimizer;
    step(model);
    step(resumed);
    assert.deepEqual(bytesOf(resumed.a), bytesOf(model.a));
    assert.deepEqual(bytesOf(resumed.b), bytesOf(model.b));
  });
});

describe('model file errors', () => {
  const saved = (name: string, options: sd.io.SaveModelOptions = {}): string => {
    const path = join(dir, name);
    sd.io.saveModel(makeTrained('adam'), path, options);
    return path;
  };

  it('saving: includeOptimizer without an optimizer, bad epoch, a weight name the optimizer needs', () => {
    const path = join(dir, 'never.safetensors');
    assertThrows(() => sd.io.saveModel(new PlainModel(), path, { includeOptimizer: true }), sd.ValueError, /saveModel: includeOptimizer is set but the model has no optimizer/);
    assertThrows(() => sd.io.saveModel(new PlainModel(), path, { epoch: -1 }), sd.ValueError, /saveModel: epoch must be a non-negative integer, got -1/);
    const odd = Object.assign(makeTrained('adam'), { stateDict: () => ({ 'optimizer.state.0.expAvg': sd.zeros([1]) }) });
    assertThrows(() => sd.io.saveModel(odd, path, { includeOptimizer: true }), sd.ValueError, /the model has a weight named 'optimizer.state.0.expAvg'/);
    assert.ok(!fs.existsSync(path));
  });

  it('a plain safetensors file is not a model file', () => {
    const path = join(dir, 'plain-tensors.safetensors');
    sd.io.saveSafetensors(path, { w: sd.ones([2]) });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /loadModel: '.*plain-tensors.safetensors': not a Shendu model file .* sd.io.loadStateDict/);
  });

  it('truncated and corrupted model files', () => {
    const path = saved('truncated.safetensors');
    const bytes = fs.readFileSync(path);
    fs.writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    assertThrows(() => sd.loadModel(path), sd.FormatError, /truncated\.safetensors' is not a valid safetensors file: the tensors need \d+ bytes of data but the file has \d+/);
    const corrupt = Buffer.from(bytes);
    corrupt[8] = 0x5d; // the header's opening '{' becomes ']'
    fs.writeFileSync(path, corrupt);
    assertThrows(() => sd.loadModel(path), sd.FormatError, /the header is not valid JSON/);
  });

  it('an unsupported format version, bad JSON, an unknown class', () => {
    const path = saved('edited.safetensors');
    rewrite(path, (c) => (c.metadata.format_version = '99'));
    assertThrows(() => sd.loadModel(path), sd.FormatError, /format version "99" is not supported \(this version reads 1\)/);
    rewrite(path, (c) => {
      c.metadata.format_version = '1';
      c.metadata.architecture = '{"className": ';
    });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /metadata 'architecture' is not valid JSON/);
    rewrite(path, (c) => {
      c.metadata.architecture = '{}';
      c.metadata.model_class = 'Transformer';
    });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /no loader for model class 'Transformer' \(known: .*TinyModel/);
  });

  it('an architecture that cannot be rebuilt', () => {
    const path = saved('bad-arch.safetensors');
    rewrite(path, (c) => (c.metadata.architecture = '{"className": "TinyModel", "config": {"inputs": -1, "hidden": 5, "outputs": 2}}'));
    assertThrows(() => sd.loadModel(path), sd.FormatError, /cannot rebuild the architecture: /);
  });

  it('weights missing, unexpected or of the wrong shape: no model comes back', () => {
    const path = saved('weights.safetensors');
    rewrite(path, (c) => delete c.tensors.w2);
    assertThrows(() => sd.loadModel(path), sd.FormatError, /the weights do not fit the architecture: .*missing keys: 'w2'/s);
    rewrite(path, (c) => {
      c.tensors.w2 = sd.zeros([5, 3]);
      c.tensors.extra = sd.zeros([1]);
    });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /unexpected keys: 'extra'.*size mismatch for 'w2'/s);
  });

  it('optimizer state that does not fit', () => {
    const path = saved('opt.safetensors', { includeOptimizer: true });
    rewrite(path, (c) => delete c.tensors['optimizer.state.0.expAvg']);
    assertThrows(() => sd.loadModel(path), sd.FormatError, /optimizer tensor 'optimizer.state.0.expAvg' is missing/);
    rewrite(path, (c) => {
      c.tensors['optimizer.state.0.expAvg'] = sd.zeros([7]);
    });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /cannot restore the optimizer: .*state 'expAvg' of parameter 0 has shape \[7\]/);
    rewrite(path, (c) => {
      c.tensors['optimizer.state.0.expAvg'] = sd.zeros([4, 5]);
      c.metadata.compile_config = JSON.stringify({ optimizer: 'sgd', lr: 0.1 });
    });
    assertThrows(() => sd.loadModel(path), sd.FormatError, /the model compiled SGD, but the file holds the state of Adam/);
  });

  it('a generator state that is not one, leaving the global generator alone', () => {
    const path = saved('generator.safetensors', { epoch: 1 });
    rewrite(path, (c) => (c.metadata.training_state = JSON.stringify({ epoch: 1, generator: { words: [1, 2], spareNormal: null } })));
    sd.seed(3);
    const expected = [...sd.rand([4]).values];
    sd.seed(3);
    assertThrows(() => sd.io.loadCheckpoint(path), sd.FormatError, /training state 'generator' is not a generator state: Generator.setState: words must be/);
    sd.seed(3);
    assert.deepEqual([...sd.rand([4]).values], expected);
  });
});
