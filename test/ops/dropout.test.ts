import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';

describeEachBackend('dropout', () => {
  it('zeroes with probability p and scales survivors by 1/(1-p)', () => {
    sd.seed(1);
    const y = sd.dropout(sd.ones([10000]), 0.25);
    let kept = 0;
    for (const v of y.values) {
      if (v !== 0) {
        assert.ok(Math.abs(v - 1 / 0.75) < 1e-6, `a survivor is ${v}`);
        kept++;
      }
    }
    assert.ok(Math.abs(kept / 10000 - 0.75) < 0.02, `kept ${kept} of 10000`);
    assert.ok(Math.abs(sd.mean(y).item() - 1) < 0.03, 'the mean is preserved');
  });

  it('is reproducible with sd.seed and with an explicit generator', () => {
    const x = sd.randn([4, 5]);
    sd.seed(42);
    const a = sd.dropout(x, 0.5);
    sd.seed(42);
    const b = sd.dropout(x, 0.5);
    assert.deepEqual([...a.values], [...b.values]);
    const c = sd.dropout(x, 0.5, { generator: new sd.Generator(3) });
    const d = sd.dropout(x, 0.5, { generator: new sd.Generator(3) });
    assert.deepEqual([...c.values], [...d.values]);
    // The mask is drawn from the generator exactly like sd.bernoulli(1 - p).
    const mask = sd.bernoulli(0.5, [4, 5], { generator: new sd.Generator(3) });
    assertClose(c, sd.mul(x, sd.mul(mask, 2)));
  });

  it('draws the mask from the generator stream, number for number, and continues it (every size, every backend alike)', () => {
    for (const n of [1, 15, 16, 17, 1029, 4096]) {
      const g = new sd.Generator(7);
      const reference = new sd.Generator(7);
      const y = sd.dropout(sd.ones([n]), 0.3, { generator: g });
      const expected = Array.from({ length: n }, () => (reference.uniform() < 0.7 ? 1 / 0.7 : 0));
      assertClose(y, expected, { atol: 0, rtol: 1e-7 });
      assert.deepEqual(g.getState(), reference.getState(), `state after ${n} draws`);
      assert.equal(g.uniform(), reference.uniform());
    }
  });

  it('is the identity when not training or when p = 0, and zeros when p = 1', () => {
    const x = sd.randn([3, 3]);
    assert.equal(sd.dropout(x, 0.5, { training: false }), x);
    assert.equal(sd.dropout(x, 0), x);
    assertClose(sd.dropout(x, 1), sd.zeros([3, 3]));
  });

  it('keeps the dtype, and handles empty tensors', () => {
    assert.equal(sd.dropout(sd.ones([3], 'float64'), 0.5).dtype, 'float64');
    assert.deepEqual([...sd.dropout(sd.zeros([0, 4]), 0.5).shape], [0, 4]);
  });

  it('rejects p outside [0, 1] and non-float input', () => {
    assertThrows(() => sd.dropout(sd.ones([2]), 1.5), sd.ValueError, /dropout: p must be a probability in \[0, 1\], got 1.5/);
    assertThrows(() => sd.dropout(sd.ones([2]), -0.1), sd.ValueError, /dropout: p must be a probability in \[0, 1\], got -0.1/);
    assertThrows(() => sd.dropout(sd.ones([2]), NaN), sd.ValueError, /got NaN/);
    assertThrows(() => sd.dropout(sd.tensor(new Int32Array([1])), 0.5), sd.DTypeError, /dropout: x must be float32 or float64, got int32/);
  });
});

it('dropout gradient is dy·mask/(1-p) with the forward mask', () => {
  sd.seed(7);
  const x = sd.randn([50], { dtype: 'float64' }).requiresGrad_();
  const y = sd.dropout(x, 0.3);
  const dy = sd.randn([50], { dtype: 'float64' });
  y.backward(dy);
  for (let i = 0; i < 50; i++) {
    const kept = y.values[i] !== 0;
    const expected = kept ? dy.values[i] / 0.7 : 0;
    assert.ok(Math.abs(x.grad!.values[i] - expected) < 1e-12, `element ${i}`);
  }
  // With a fixed generator the op is a deterministic function of x: gradcheck applies.
  checkGrad((t) => sd.dropout(t, 0.4, { generator: new sd.Generator(5) }), [sd.randn([3, 4])]);
  // p = 1 gives zero gradient
  const z = sd.randn([3]).requiresGrad_();
  sd.sum(sd.dropout(z, 1)).backward();
  assertClose(z.grad!, [0, 0, 0]);
});
