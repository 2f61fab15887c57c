import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { Generator } from '../../src/tensor/random.js';
import { assertClose, assertThrows, checkGrad } from '../helpers.js';

const f64 = (data: sd.NestedArray) => sd.tensor(data, undefined, 'float64');

describe('backward', () => {
  it('computes the gradient of a scalar with respect to every leaf that requires grad', () => {
    const x = sd.tensor([1, 2, 3]).requiresGrad_();
    const w = sd.tensor([0.5, -1, 2]).requiresGrad_();
    const c = sd.tensor([10, 10, 10]);
    sd.sum(sd.add(sd.mul(x, w), c)).backward();
    assertClose(x.grad!, [0.5, -1, 2]);
    assertClose(w.grad!, [1, 2, 3]);
    assert.equal(c.grad, null);
  });

  it('takes the output gradient of a non-scalar output (vector-Jacobian product)', () => {
    const x = sd.tensor([[1, 2], [3, 4]]).requiresGrad_();
    const y = sd.square(x);
    y.backward(sd.tensor([[1, 0], [0.5, 2]]));
    assertClose(x.grad!, [[2, 0], [3, 16]]);
  });

  it('adds gradients over paths that share a tensor', () => {
    const x = f64([0.5, -2]).requiresGrad_();
    const y = sd.add(sd.mul(x, x), sd.mul(x, 3)); // x² + 3x
    sd.sum(sd.mul(y, y)).backward(); // d/dx (x²+3x)² = 2(x²+3x)(2x+3)
    const v = [0.5, -2].map((t) => 2 * (t * t + 3 * t) * (2 * t + 3));
    assertClose(x.grad!, v);
  });

  it('accumulates .grad across backward calls until it is reset', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    const loss = () => sd.sum(sd.mul(x, sd.tensor([3, 4])));
    loss().backward();
    assertClose(x.grad!, [3, 4]);
    loss().backward();
    assertClose(x.grad!, [6, 8]);
    const y = loss();
    y.backward();
    y.backward(); // the graph is kept, so a second pass over it works too
    assertClose(x.grad!, [12, 16]);
    x.grad = null;
    loss().backward();
    assertClose(x.grad!, [3, 4]);
  });

  it('gives each leaf its own .grad, never the caller gradient or a shared tensor', () => {
    const a = sd.tensor([1, 2]).requiresGrad_();
    const b = sd.tensor([3, 4]).requiresGrad_();
    const g = sd.tensor([1, 1]);
    sd.add(a, b).backward(g);
    assert.notEqual(a.grad, b.grad);
    assert.notEqual(a.grad, g);
    a.grad!.values[0] = 100; // e.g. an in-place clipping of one parameter's gradient
    assert.deepEqual([...b.grad!.values], [1, 1]);
    assert.deepEqual([...g.values], [1, 1]);
    const x = sd.tensor([5]).requiresGrad_();
    const seed = sd.tensor([2]);
    x.backward(seed);
    assert.notEqual(x.grad, seed);
    assertClose(x.grad!, [2]);
  });

  it('copies a gradient whose storage another .grad or the caller holds, through views too', () => {
    const a = sd.tensor([[1, 2]]).requiresGrad_();
    const b = sd.tensor([[3, 4]]).requiresGrad_();
    const r = sd.tensor([5, 6]).requiresGrad_();
    const viewsOfOne = sd.add(sd.reshape(a, [2]), sd.reshape(b, [2])); // both gradients: views of one tensor
    sd.mul(sd.add(viewsOfOne, r), 2).backward(sd.ones([2]));
    assert.notEqual(a.grad!.values, b.grad!.values);
    assert.notEqual(a.grad!.values, r.grad!.values);
    assert.notEqual(b.grad!.values, r.grad!.values);
    a.grad!.values[0] = 100;
    assert.deepEqual([...b.grad!.values, ...r.grad!.values], [2, 2, 2, 2]);
    const x = sd.tensor([[1, 2]]).requiresGrad_();
    const g = sd.tensor([1, 1]);
    sd.reshape(x, [2]).backward(g);
    assert.notEqual(x.grad!.values, g.values);
  });

  it('casts an output gradient of the other float dtype', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    sd.mul(x, 2).backward(sd.tensor([1, 3], undefined, 'float64'));
    assert.equal(x.grad!.dtype, 'float32');
    assertClose(x.grad!, [2, 6]);
  });

  it('sends no gradient through detach', () => {
    const x = sd.tensor([2, 3]).requiresGrad_();
    const y = sd.mul(x, x.detach()); // d/dx = x.detach()
    sd.sum(y).backward();
    assertClose(x.grad!, [2, 3]);
  });

  it('keeps the gradient of a non-leaf only when retainGrad was called', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    const h = sd.mul(x, 3).retainGrad();
    const k = sd.mul(x, 5);
    sd.sum(sd.add(sd.square(h), k)).backward();
    assertClose(h.grad!, [6, 12]); // 2h
    assert.equal(k.grad, null);
    assertClose(x.grad!, [23, 41]); // 3·2h + 5
  });

  it('rejects a non-scalar output without a gradient, and a gradient of the wrong shape', () => {
    const y = sd.mul(sd.ones([2, 3]).requiresGrad_(), 2);
    assertThrows(() => y.backward(), sd.ShapeError, /^backward: a gradient argument is required for a non-scalar output of shape \[2,3\]/);
    assertThrows(() => y.backward(sd.ones([3, 2])), sd.ShapeError, /^backward: gradient has shape \[3,2\] but the output has shape \[2,3\]/);
    assertThrows(() => y.backward(sd.ones([2, 3], 'int32')), sd.DTypeError, /^backward: gradient must be a float tensor, got int32/);
    // a one-element output of any rank is a scalar
    sd.mul(sd.ones([1, 1]).requiresGrad_(), 2).backward();
  });

  it('names the op that produced a tensor that does not require grad', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    assertThrows(() => sd.eq(x, 1).backward(), sd.ValueError, /^backward: this tensor does not require grad: eq has no gradient \(its output is bool\)$/);
    assertThrows(() => sd.cast(x, 'int32').backward(), sd.ValueError, /it is int32, produced by 'cast'/);
    assertThrows(() => sd.noGrad(() => sd.sum(sd.exp(x))).backward(), sd.ValueError, /^backward: .*produced by 'sum' from inputs that do not require grad \(or inside noGrad\)$/);
    assertThrows(() => sd.sum(sd.tensor([1, 2])).backward(), sd.ValueError, /produced by 'sum'/);
    assertThrows(() => sd.tensor([1]).backward(), sd.ValueError, /^backward: this tensor does not require grad: it is a leaf without requiresGrad/);
  });
});

describe('ops without a gradient', () => {
  it('backward() from their output names the op', () => {
    const x = sd.tensor([[1, 5], [7, 2]]).requiresGrad_();
    assertThrows(() => sd.argmax(x).backward(), sd.ValueError, /^backward: this tensor does not require grad: argmax has no gradient \(its output is int32\)$/);
    assertThrows(() => sd.argmin(x, 1).backward(sd.ones([2], 'int32')), sd.ValueError, /argmin has no gradient/);
    assertThrows(() => sd.any(sd.gt(x, 3)).backward(), sd.ValueError, /any has no gradient \(its output is bool\)/);
    assertThrows(() => sd.logicalNot(sd.lt(x, 0)).backward(), sd.ValueError, /logicalNot has no gradient/);
    // a float result of a non-differentiable op, from inputs that do not require grad
    assertThrows(() => sd.oneHot([1, 0], 2).backward(sd.ones([2, 2])), sd.ValueError, /^backward: this tensor does not require grad: oneHot has no gradient$/);
  });

  it('a path through them carries no gradient while the other paths do, as in PyTorch', () => {
    const x = sd.tensor([1, 5, 2]).requiresGrad_();
    const picked = sd.cast(sd.argmax(x), 'float32');
    sd.sum(sd.mul(x, picked)).backward();
    assertClose(x.grad!, [1, 1, 1]);
  });

  it('backward() reaching one that was applied to tensors requiring grad names it', () => {
    // The gradient of max pooling is a kernel without a gradient of its own: a second
    // derivative through it throws instead of silently dropping that path.
    const x = sd.randn([1, 1, 4, 4], { dtype: 'float64' }).requiresGrad_();
    sd.sum(sd.square(sd.maxPool2d(x, 2))).backward(undefined, { createGraph: true });
    assert.equal(x.grad!.requiresGrad, true);
    assertThrows(() => sd.sum(x.grad!).backward(), sd.ValueError, /^backward: maxPool2dGrad has no gradient, but it was applied to tensors that require grad$/);
  });
});

describe('noGrad', () => {
  it('records nothing inside and restores recording after, even after an error', () => {
    const x = sd.tensor([1]).requiresGrad_();
    const y = sd.noGrad(() => {
      assert.equal(sd.isGradEnabled(), false);
      return sd.mul(x, 2);
    });
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.equal(sd.isGradEnabled(), true);
    assert.throws(() => sd.noGrad(() => { throw new Error('inside'); }), /inside/);
    assert.equal(sd.isGradEnabled(), true);
    sd.noGrad(() => sd.noGrad(() => undefined));
    assert.equal(sd.isGradEnabled(), true);
    assert.equal(sd.mul(x, 2).requiresGrad, true);
  });

  it('refuses an async function', () => {
    assert.throws(() => sd.noGrad(async () => 1), /noGrad: fn must be synchronous/);
    assert.equal(sd.isGradEnabled(), true);
  });
});

describe('higher-order gradients', () => {
  it('createGraph records the backward pass: d²/dx² x³ = 6x and d³/dx³ x³ = 6', () => {
    const x = f64([1.5, -2]).requiresGrad_();
    const y = sd.sum(sd.mul(sd.mul(x, x), x));
    y.backward(undefined, { createGraph: true });
    const first = x.grad!;
    assertClose(first, [3 * 1.5 ** 2, 3 * 4]);
    assert.equal(first.requiresGrad, true);
    x.grad = null;
    sd.sum(first).backward(undefined, { createGraph: true });
    const second = x.grad!;
    assertClose(second, [9, -12]);
    x.grad = null;
    sd.sum(second).backward();
    assertClose(x.grad!, [6, 6]);
  });

  it('without createGraph the gradient is a plain tensor', () => {
    const x = sd.tensor([2]).requiresGrad_();
    sd.sum(sd.pow(x, 3)).backward();
    assert.equal(x.grad!.requiresGrad, false);
    assert.equal(x.grad!.gradFn, null);
  });
});

describe('graphs whose shape depends on data', () => {
  type Tree = { leaf: number; scale: number } | { left: Tree; right: Tree; op: 'add' | 'mul' | 'tanh' };

  /** A random binary tree over the inputs, fixed by `seed`. */
  function randomTree(g: Generator, depth: number, inputs: number): Tree {
    if (depth === 0 || g.uniform() < 0.3) return { leaf: g.integer(0, inputs), scale: g.uniform() * 2 - 1 };
    const ops = ['add', 'mul', 'tanh'] as const;
    return { left: randomTree(g, depth - 1, inputs), right: randomTree(g, depth - 1, inputs), op: ops[g.integer(0, 3)] };
  }

  function evaluate(tree: Tree, xs: sd.Tensor[]): sd.Tensor {
    if ('leaf' in tree) return sd.mul(xs[tree.leaf], tree.scale);
    const l = evaluate(tree.left, xs);
    const r = evaluate(tree.right, xs);
    if (tree.op === 'add') return sd.add(l, r);
    if (tree.op === 'mul') return sd.mul(l, r);
    return sd.tanh(sd.add(l, r));
  }

  it('a recursive sum over a random binary tree gets correct gradients', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const g = new Generator(seed);
      const tree = randomTree(g, 8, 3);
      const xs = [0, 1, 2].map(() => sd.randn([4], { dtype: 'float64', generator: g }));
      checkGrad((...t) => sd.sum(evaluate(tree, t)), xs);
    }
  });

  it('a loop whose length depends on the values gets correct gradients', () => {
    const iterations: number[] = [];
    const f = (x: sd.Tensor, w: sd.Tensor): sd.Tensor => {
      let h = x;
      let n = 0;
      // runs until the norm passes 10: the graph length is read from the data
      while (sd.sum(sd.square(h)).item() < 100 && n < 1000) {
        h = sd.add(sd.mul(h, w), sd.sin(h));
        n++;
      }
      iterations.push(n);
      return sd.sum(h);
    };
    checkGrad(f, [f64([0.1, -0.2, 0.05]), f64([1.1, 1.3, 0.9])]);
    checkGrad(f, [f64([1, 2, 3]), f64([1.2, 1.2, 1.2])]);
    assert.ok(new Set(iterations).size > 1, `loop lengths ${[...new Set(iterations)]}`);
  });

  it('a 20,000-op chain runs backward without overflowing the stack', () => {
    const x = f64([1.5]).requiresGrad_();
    let y = x;
    const c = 1.00001;
    for (let i = 0; i < 10000; i++) y = sd.add(sd.mul(y, c), 0.001);
    y.backward();
    assertClose(x.grad!, [c ** 10000], { rtol: 1e-10 });
  });
});

it('an input that does not require grad gets no gradient', () => {
  const a = sd.tensor([2, 3]).requiresGrad_();
  const b = sd.tensor([4, 5]);
  sd.sum(sd.mul(a, b)).backward();
  assertClose(a.grad!, [4, 5]);
  assert.equal(b.grad, null);
});
