import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

const { Module, Parameter } = sd.nn;

/** y = x·w + b elementwise: enough of a layer to test the Module machinery. */
class Scale extends Module {
  weight: sd.nn.Parameter;
  bias: sd.nn.Parameter | null;
  constructor(readonly features: number, bias = true) {
    super();
    this.weight = new Parameter(sd.ones([features]));
    this.bias = bias ? new Parameter(sd.zeros([features])) : null;
  }
  forward(x: sd.Tensor): sd.Tensor {
    const y = sd.mul(x, this.weight);
    return this.bias ? sd.add(y, this.bias) : y;
  }
  override extraRepr(): string {
    return `features=${this.features}, bias=${this.bias !== null}`;
  }
}

class Norm extends Module {
  runningMean: sd.Tensor;
  numBatches: sd.Tensor;
  scratch: sd.Tensor | null;
  constructor(n: number) {
    super();
    this.runningMean = this.registerBuffer('runningMean', sd.zeros([n]));
    this.numBatches = this.registerBuffer('numBatches', sd.zeros([], 'int32'));
    this.scratch = this.registerBuffer('scratch', sd.zeros([n]), { persistent: false });
  }
  forward(x: sd.Tensor): sd.Tensor {
    return x;
  }
}

class Net extends Module {
  fc1 = new Scale(3);
  norm = new Norm(3);
  fc2 = new Scale(3, false);
  notAParameter = sd.ones([3]); // a plain tensor property is not registered
  forward(x: sd.Tensor): sd.Tensor {
    return this.fc2.call(this.norm.call(this.fc1.call(x)));
  }
}

class Outer extends Module {
  inner = new Net();
  head = new Scale(3);
  forward(x: sd.Tensor): sd.Tensor {
    return this.head.call(this.inner.call(x));
  }
}

describe('Module registration', () => {
  it('finds parameters, children and buffers among its properties, with dotted names', () => {
    const m = new Outer();
    assert.deepEqual(
      m.namedParameters().map(([n, p]) => [n, [...p.shape]]),
      [['inner.fc1.weight', [3]], ['inner.fc1.bias', [3]], ['inner.fc2.weight', [3]], ['head.weight', [3]], ['head.bias', [3]]],
    );
    assert.equal(m.parameters().length, 5);
    assert.ok(m.parameters().every((p) => p instanceof Parameter && p.requiresGrad));
    assert.deepEqual(m.namedParameters(false), []);
    assert.deepEqual(m.namedChildren().map(([n]) => n), ['inner', 'head']);
    assert.deepEqual(m.children(), [m.inner, m.head]);
    assert.deepEqual(m.namedModules().map(([n, mod]) => `${n}:${mod.constructor.name}`), [
      ':Outer', 'inner:Net', 'inner.fc1:Scale', 'inner.norm:Norm', 'inner.fc2:Scale', 'head:Scale',
    ]);
    assert.equal(m.modules().length, 6);
    assert.deepEqual(m.namedBuffers().map(([n]) => n), ['inner.norm.runningMean', 'inner.norm.numBatches', 'inner.norm.scratch']);
    assert.equal(m.buffers(false).length, 0);
    assert.equal(m.getSubmodule('inner.norm'), m.inner.norm);
    assert.equal(m.getSubmodule(''), m);
    assertThrows(() => m.getSubmodule('inner.nope'), sd.ValueError, /getSubmodule: Net has no child module 'nope' \(path 'inner.nope'\)/);
  });

  it('lists a shared parameter or module once', () => {
    const m = new Outer();
    m.head.weight = m.inner.fc1.weight; // tied weights
    (m as unknown as { alias: sd.nn.Module }).alias = m.inner.fc2;
    assert.equal(m.parameters().length, 4);
    assert.equal(m.modules().length, 6);
    // stateDict, like PyTorch's, names a shared tensor under every path
    assert.ok('alias.weight' in m.stateDict() && 'head.weight' in m.stateDict());
  });

  it('register* set the property and check names and kinds', () => {
    class Dyn extends Module {
      forward(x: sd.Tensor): sd.Tensor {
        return x;
      }
    }
    const m = new Dyn();
    const p = m.registerParameter('w', new Parameter(sd.ones([2])));
    assert.equal((m as unknown as { w: sd.Tensor }).w, p);
    m.registerModule('0', new Scale(2));
    m.registerParameter('maybe', null);
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['w', '0.weight', '0.bias']);
    assertThrows(() => m.registerParameter('x', sd.ones([2]) as never), TypeError, /registerParameter: cannot register a Tensor as parameter 'x' \(wrap it: new nn.Parameter\(tensor\)\)/);
    assertThrows(() => m.registerParameter('a.b', null), sd.ValueError, /registerParameter: name must be a non-empty string without '.', got "a.b"/);
    assertThrows(() => m.registerModule('forward', new Scale(1)), sd.ValueError, /registerModule: 'forward' is a method or accessor of Dyn and cannot be replaced/);
    assertThrows(() => m.registerBuffer('training', sd.ones([1])), sd.ValueError, /'training' is reserved/);
    assertThrows(() => m.registerBuffer('w', sd.ones([1])), sd.ValueError, /registerBuffer: 'w' is already a parameter of Dyn/);
    assertThrows(() => m.registerBuffer('p', new Parameter(sd.ones([1]))), TypeError, /'p' is a Parameter; use registerParameter/);
    m.registerBuffer('buf', sd.ones([1]));
    assertThrows(() => m.registerParameter('buf', null), sd.ValueError, /registerParameter: 'buf' is already a buffer of Dyn/);
    assertThrows(() => m.registerModule('child', 3 as never), TypeError, /cannot register a number as child module 'child'/);
  });

  it('a reassigned buffer property stays the buffer', () => {
    const n = new Norm(2);
    n.runningMean = sd.tensor([5, 6]);
    assertClose(n.stateDict().runningMean, [5, 6]);
  });
});

describe('Module state dict', () => {
  it('holds parameters and persistent buffers, sharing storage', () => {
    const m = new Net();
    const state = m.stateDict();
    assert.deepEqual(Object.keys(state), ['fc1.weight', 'fc1.bias', 'norm.runningMean', 'norm.numBatches', 'fc2.weight']);
    assert.ok(!(state['fc1.weight'] instanceof Parameter));
    assert.equal(state['fc1.weight'].values, m.fc1.weight.values);
    assert.equal(state['norm.numBatches'].dtype, 'int32');
  });

  it('loads in place, from an object or a Map, converting dtypes', () => {
    const src = new Net();
    sd.nn.init.uniform_(src.fc1.weight);
    src.norm.runningMean = sd.tensor([1, 2, 3]);
    const dst = new Net();
    const weight = dst.fc1.weight;
    const result = dst.loadStateDict(src.stateDict());
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
    assert.equal(dst.fc1.weight, weight); // the same Parameter object: optimizers keep working
    assertClose(dst.fc1.weight, src.fc1.weight);
    assertClose(dst.norm.runningMean, [1, 2, 3]);
    const asMap = new Map(Object.entries(src.stateDict()).map(([k, v]) => [k, sd.cast(v, v.dtype === 'float32' ? 'float64' : v.dtype)]));
    new Net().loadStateDict(asMap);
  });

  it('strict loading lists missing and unexpected keys and shape mismatches, and copies nothing', () => {
    const m = new Net();
    const state = m.stateDict();
    delete state['fc2.weight'];
    state['fc3.weight'] = sd.ones([3]);
    state['fc1.bias'] = sd.ones([4]);
    state['fc1.weight'] = sd.full([3], 7);
    assertThrows(
      () => m.loadStateDict(state),
      sd.ValueError,
      new RegExp(
        [
          "^loadStateDict: cannot load into Net:",
          "  missing keys: 'fc2.weight'",
          "  unexpected keys: 'fc3.weight'",
          "  size mismatch for 'fc1.bias': the state dict has shape \\[4\\], the model has \\[3\\]$",
        ].join('\n'),
      ),
    );
    assertClose(m.fc1.weight, [1, 1, 1]);
    // non-strict: missing and unexpected keys are reported, shape mismatches still throw
    assertThrows(() => m.loadStateDict(state, { strict: false }), sd.ValueError, /size mismatch for 'fc1.bias'/);
    state['fc1.bias'] = sd.ones([3]);
    const result = m.loadStateDict(state, { strict: false });
    assert.deepEqual(result, { missingKeys: ['fc2.weight'], unexpectedKeys: ['fc3.weight'] });
    assertClose(m.fc1.weight, [7, 7, 7]);
    assertThrows(() => m.loadStateDict({ ...m.stateDict(), 'fc1.bias': [1, 2, 3] as never }), sd.ValueError, /'fc1.bias' is an Array, not a Tensor/);
  });
});

describe('Module behaviour', () => {
  it('train() and eval() set the mode everywhere', () => {
    const m = new Outer();
    assert.equal(m.eval(), m);
    assert.ok(m.modules().every((x) => !x.training));
    m.train();
    assert.ok(m.modules().every((x) => x.training));
    m.inner.train(false);
    assert.deepEqual(m.modules().map((x) => x.training), [true, false, false, false, false, true]);
    assertThrows(() => m.train('no' as never), sd.ValueError, /train: mode must be a boolean, got no/);
  });

  it('backward reaches the parameters; zeroGrad clears; requiresGrad_ freezes', () => {
    const m = new Net();
    sd.sum(m.call(sd.tensor([1, 2, 3]))).backward();
    assertClose(m.fc1.weight.grad!, [1, 2, 3]);
    assertClose(m.fc2.weight.grad!, [1, 2, 3]);
    m.zeroGrad(false);
    assertClose(m.fc1.weight.grad!, [0, 0, 0]);
    m.zeroGrad();
    assert.equal(m.fc1.weight.grad, null);
    m.fc1.requiresGrad_(false);
    assert.deepEqual(m.parameters().map((p) => p.requiresGrad), [false, false, true]);
  });

  it('apply visits children before their parent', () => {
    const seen: string[] = [];
    new Outer().apply((x) => seen.push(x.constructor.name));
    assert.deepEqual(seen, ['Scale', 'Norm', 'Scale', 'Net', 'Scale', 'Outer']);
  });

  it('call runs forward pre-hooks, forward and forward hooks; handles remove them', () => {
    const m = new Scale(2);
    const log: string[] = [];
    const pre = m.registerForwardPreHook((_mod, args) => {
      log.push('pre');
      return [sd.mul(args[0] as sd.Tensor, 10)];
    });
    const post = m.registerForwardHook((_mod, _args, out) => {
      log.push('post');
      return sd.add(out as sd.Tensor, 1);
    });
    assertClose(m.call(sd.tensor([1, 2])), [11, 21]);
    assertClose(m.forward(sd.tensor([1, 2])), [1, 2]);
    pre.remove();
    post.remove();
    assertClose(m.call(sd.tensor([1, 2])), [1, 2]);
    assert.deepEqual(log, ['pre', 'post']);
    // call is typed with forward's parameters and result (checked by tsc, never run)
    // @ts-expect-error forward takes one argument
    const typeOnly = (): sd.Tensor => m.call(sd.ones([2]), 2);
    assert.equal(typeof typeOnly, 'function');
  });

  it('to(dtype) converts parameters and float buffers, keeping tied weights tied', () => {
    const m = new Outer();
    m.head.weight = m.inner.fc1.weight;
    m.to('float64');
    assert.ok(m.parameters().every((p) => p.dtype === 'float64' && p instanceof Parameter));
    assert.equal(m.head.weight, m.inner.fc1.weight);
    assert.equal(m.inner.norm.runningMean.dtype, 'float64');
    assert.equal(m.inner.norm.numBatches.dtype, 'int32');
    assert.equal(m.call(sd.tensor([1, 2, 3], undefined, 'float64')).dtype, 'float64');
    assertThrows(() => m.to('int32'), sd.DTypeError, /to: dtype must be float32 or float64, got int32/);
  });

  it('prints the module tree as PyTorch does', () => {
    const expected = [
      'Outer(',
      '  (inner): Net(',
      '    (fc1): Scale(features=3, bias=true)',
      '    (norm): Norm()',
      '    (fc2): Scale(features=3, bias=false)',
      '  )',
      '  (head): Scale(features=3, bias=true)',
      ')',
    ].join('\n');
    assert.equal(new Outer().toString(), expected);
    class Multi extends Module {
      child = new Scale(1);
      forward(): void {}
      override extraRepr(): string {
        return 'a=1\nb=2';
      }
    }
    assert.equal(String(new Multi()), 'Multi(\n  a=1\n  b=2\n  (child): Scale(features=1, bias=true)\n)');
  });
});

describe('Parameter', () => {
  it('is a Tensor sharing storage, requiring grad by default', () => {
    const t = sd.tensor([1, 2]);
    const p = new Parameter(t);
    assert.ok(p instanceof sd.Tensor);
    assert.equal(p.values, t.values);
    assert.ok(p.requiresGrad && p.isLeaf);
    assert.ok(!new Parameter(t, false).requiresGrad);
    assert.match(p.toString(), /^Parameter containing:\ntensor\(\[1\., 2\.\]\)/);
    new Parameter(sd.tensor(new Int32Array([1])), false);
    assertThrows(() => new Parameter(sd.tensor(new Int32Array([1]))), sd.DTypeError, /Parameter: only float tensors can require gradients, got int32/);
    assertThrows(() => new Parameter([1, 2] as never), TypeError, /Parameter: data must be a Tensor, got an array \(wrap it with sd.tensor first\)/);
  });
});
