import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, parameterCount } from './layer-helpers.js';

const nn = sd.nn;

/** The model of the MNIST walkthrough, PyTorch style. */
function mnistModel(): sd.nn.Sequential {
  return new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(128, 10));
}

describeEachBackend('Sequential', () => {
  it('matches torch.nn.Sequential models: state dict keys, printout, output, every gradient, running statistics', () => {
    for (const name of ['sequential_mlp', 'sequential_convnet', 'sequential_convnet_eval', 'sequential_embedding']) checkLayerFixture(name, { atol: 1e-4 });
  });
});

describe('Sequential', () => {
  it('chains its modules: the MNIST model has 101,770 parameters and prints as PyTorch', () => {
    const model = mnistModel();
    assert.deepEqual(model.call(sd.randn([32, 1, 28, 28])).shape, [32, 10]);
    assert.equal(parameterCount(model), 101770);
    assert.deepEqual(Object.keys(model.stateDict()), ['1.weight', '1.bias', '4.weight', '4.bias']);
    assert.equal(
      model.toString(),
      [
        'Sequential(',
        '  (0): Flatten(start_dim=1, end_dim=-1)',
        '  (1): Linear(in_features=784, out_features=128, bias=True)',
        '  (2): ReLU()',
        '  (3): Dropout(p=0.2, inplace=False)',
        '  (4): Linear(in_features=128, out_features=10, bias=True)',
        ')',
      ].join('\n'),
    );
    assert.equal(new nn.Sequential().toString(), 'Sequential()');
  });

  it('is indexable, iterable and editable like a list', () => {
    const model = mnistModel();
    assert.equal(model.length, 5);
    assert.ok(model[1] instanceof nn.Linear);
    assert.equal(model.at(-1), model[4]);
    assert.deepEqual([...model].map((m) => m.constructor.name), ['Flatten', 'Linear', 'ReLU', 'Dropout', 'Linear']);
    const head = new nn.Linear(128, 3);
    model[4] = head;
    assert.equal(model.at(4), head);
    assert.deepEqual(model.call(sd.randn([2, 784])).shape, [2, 3]);
    assert.equal(model.parameters().at(-1), head.bias);

    const softmax = new nn.LogSoftmax(1);
    assert.equal(model.append(softmax), model);
    assert.equal(model[5], softmax);
    model.insert(0, new nn.Identity());
    assert.deepEqual([...model].map((m) => m.constructor.name), ['Identity', 'Flatten', 'Linear', 'ReLU', 'Dropout', 'Linear', 'LogSoftmax']);
    assert.deepEqual(model.namedChildren().map(([n]) => n), ['0', '1', '2', '3', '4', '5', '6']);
    assert.equal(model.pop(), softmax);
    assert.ok(model.pop(0) instanceof nn.Identity);
    assert.equal(model.length, 5);
    assert.deepEqual(Object.keys(model.stateDict()), ['1.weight', '1.bias', '4.weight', '4.bias']);
    model.extend([new nn.Tanh(), new nn.Sigmoid()]);
    assert.equal(model.length, 7);
  });

  it('slices into a new Sequential of the same modules, keeping their names', () => {
    const model = mnistModel();
    const body = model.slice(1, 3);
    assert.ok(body instanceof nn.Sequential);
    assert.equal(body[1], model[1]);
    assert.deepEqual(body.namedChildren().map(([n]) => n), ['1', '2']);
    assert.deepEqual(body.call(sd.randn([2, 784])).shape, [2, 128]);
    assert.equal(model.slice(-2).length, 2);
  });

  it('takes named modules from an object or a Map', () => {
    const model = new nn.Sequential({ fc: new nn.Linear(4, 3), act: new nn.Tanh(), out: new nn.Linear(3, 1) });
    assert.deepEqual(Object.keys(model.stateDict()), ['fc.weight', 'fc.bias', 'out.weight', 'out.bias']);
    assert.ok(model.toString().includes('(act): Tanh()'));
    assert.deepEqual(model.call(sd.randn([2, 4])).shape, [2, 1]);
    const fromMap = new nn.Sequential(new Map<string, sd.nn.Module>([['b', new nn.ReLU()], ['a', new nn.Sigmoid()]]));
    assert.deepEqual([...fromMap].map((m) => m.constructor.name), ['ReLU', 'Sigmoid']);
    assertClose(fromMap.call(sd.tensor([-1, 0])), [0.5, 0.5]);
    assert.equal(model.at(0), model.getSubmodule('fc'));
  });

  it('applies a module listed twice twice, and counts its parameters once', () => {
    const shared = new nn.Linear(2, 2);
    const model = new nn.Sequential(shared, shared);
    const x = sd.randn([3, 2]);
    assertClose(model.call(x), shared.call(shared.call(x)));
    assert.equal(model.parameters().length, 2);
  });

  it('prints a module listed twice under both names, as PyTorch', () => {
    const shared = new nn.Linear(2, 2);
    const expected = [
      'Sequential(',
      '  (0): Linear(in_features=2, out_features=2, bias=True)',
      '  (1): ReLU()',
      '  (2): Linear(in_features=2, out_features=2, bias=True)',
      ')',
    ].join('\n');
    assert.equal(new nn.Sequential(shared, new nn.ReLU(), shared).toString(), expected);
  });

  it('sets train/eval on every child, and a state dict moves between two instances', () => {
    const a = mnistModel();
    const b = mnistModel();
    a.eval();
    assert.ok(a.modules().every((m) => !m.training));
    b.loadStateDict(a.stateDict());
    b.eval();
    const x = sd.randn([4, 784]);
    assertClose(b.call(x), a.call(x), { atol: 0 });
    a.train();
    assert.ok(a[3].training);
  });

  it('passes a gradient check through its layers', () => {
    checkModuleGrad(new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2)), [sd.randn([2, 3])]);
  });

  it('rejects what is not a module and indices out of range', () => {
    assertThrows(() => new nn.Sequential(new nn.ReLU(), 3 as never), sd.ValueError, /^Sequential: expected a Module, got number$/);
    assertThrows(() => new nn.Sequential({ 'a.b': new nn.ReLU() }), sd.ValueError, /registerModule: name must be a non-empty string without '\.'/);
    assertThrows(() => new nn.Sequential({ length: new nn.ReLU() }), sd.ValueError, /'length' is a method or accessor of Sequential/);
    const model = mnistModel();
    assertThrows(() => model.at(5), sd.ValueError, /^Sequential\.at: index 5 is out of range for 5 modules$/);
    assertThrows(() => model.insert(7, new nn.ReLU()), sd.ValueError, /Sequential\.insert: index 7 is out of range for 5 modules/);
    assertThrows(() => new nn.Sequential().pop(), sd.ValueError, /Sequential\.pop: index -1 is out of range for 0 modules/);
    assertThrows(() => model.append({} as never), sd.ValueError, /Sequential: expected a Module, got Object/);
  });
});

describe('ModuleList', () => {
  class Deep extends nn.Module {
    layers = new nn.ModuleList(Array.from({ length: 3 }, () => new nn.Linear(4, 4)));
    forward(x: sd.Tensor): sd.Tensor {
      for (const layer of this.layers) x = sd.relu(layer.call(x));
      return x;
    }
  }

  it('registers its modules, so the parent finds, saves and prints them', () => {
    const model = new Deep();
    assert.equal(model.layers.length, 3);
    assert.deepEqual(model.namedParameters().map(([n]) => n).slice(0, 3), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight']);
    assert.equal(parameterCount(model), 60);
    assert.deepEqual(model.call(sd.randn([2, 4])).shape, [2, 4]);
    assert.ok(model.toString().startsWith('Deep(\n  (layers): ModuleList(\n    (0): Linear(in_features=4, out_features=4, bias=True)'));
    assert.equal(new nn.ModuleList().toString(), 'ModuleList()');
  });

  it('appends, extends, inserts and indexes like a list', () => {
    const list = new nn.ModuleList([new nn.ReLU()]);
    list.append(new nn.Tanh()).extend([new nn.Sigmoid()]);
    list.insert(1, new nn.SiLU());
    assert.deepEqual([...list].map((m) => m.constructor.name), ['ReLU', 'SiLU', 'Tanh', 'Sigmoid']);
    assert.ok(list[3] instanceof nn.Sigmoid);
    assert.ok(list.at(-3) instanceof nn.SiLU);
    assert.ok(list.slice(2) instanceof nn.ModuleList);
  });

  it('is not callable itself and rejects what is not a module', () => {
    assert.throws(() => new nn.ModuleList().forward(), /ModuleList has no forward/);
    assertThrows(() => new nn.ModuleList([new nn.ReLU(), 'relu' as never]), sd.ValueError, /^ModuleList: expected a Module, got string$/);
    assertThrows(() => new nn.ModuleList(5 as never), sd.ValueError, /ModuleList: expected an iterable of modules, got 5/);
  });
});
