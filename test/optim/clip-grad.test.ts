import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

interface Enc {
  shape: number[];
  data: number[];
}
interface ClipCase {
  name: string;
  kind: 'clipNorm' | 'clipValue';
  arg: number;
  normType: number | 'inf';
  grads: Enc[];
  clipped: Enc[];
  total: number | null;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as ClipCase[]).filter(
  (c) => c.kind === 'clipNorm' || c.kind === 'clipValue',
);

function withGrads(c: ClipCase): sd.nn.Parameter[] {
  return c.grads.map((g) => {
    const p = new sd.nn.Parameter(sd.zeros(g.shape));
    p.grad = sd.tensor(g.data, g.shape);
    return p;
  });
}

describe('gradient clipping matches torch.nn.utils', () => {
  for (const c of cases) {
    it(c.name, () => {
      const params = withGrads(c);
      if (c.kind === 'clipNorm') {
        const total = sd.optim.clipGradNorm_(params, c.arg, c.normType === 'inf' ? Infinity : c.normType);
        assert.ok(Math.abs(total - c.total!) < 1e-5 * Math.max(1, c.total!), `total norm ${total}, torch ${c.total}`);
      } else {
        sd.optim.clipGradValue_(params, c.arg);
      }
      params.forEach((p, i) => assertClose(p.grad!, Float64Array.from(c.clipped[i].data), { atol: 1e-6, rtol: 1e-5 }));
    });
  }
});

describe('gradient clipping', () => {
  it('gives new gradient tensors, leaving shared ones untouched', () => {
    const shared = sd.tensor([3, 4]);
    const [p, q] = [new sd.nn.Parameter(sd.zeros([2])), new sd.nn.Parameter(sd.zeros([2]))];
    p.grad = shared;
    q.grad = shared;
    const total = sd.optim.clipGradNorm_([p, q], 1);
    assert.ok(Math.abs(total - Math.sqrt(50)) < 1e-5);
    assertClose(shared, [3, 4]);
    assertClose(p.grad!, [3 / Math.sqrt(50), 4 / Math.sqrt(50)]);
    assert.notEqual(p.grad, q.grad);
  });

  it('takes one tensor, skips parameters without gradients, is also sd.nn.utils', () => {
    const p = new sd.nn.Parameter(sd.zeros([2]));
    assert.equal(sd.nn.utils.clipGradNorm_([p], 1), 0);
    p.grad = sd.tensor([-2, 0.5]);
    sd.nn.utils.clipGradValue_(p, 1);
    assertClose(p.grad!, [-1, 0.5]);
  });

  it('reports a non-finite norm when asked, else propagates it', () => {
    const p = new sd.nn.Parameter(sd.zeros([2]));
    p.grad = sd.tensor([NaN, 1]);
    assertThrows(() => sd.optim.clipGradNorm_([p], 1, 2, { errorIfNonfinite: true }), sd.ValueError, /clipGradNorm_: the total norm of order 2 of the gradients is NaN/);
    assert.ok(Number.isNaN(sd.optim.clipGradNorm_([p], 1)));
    assert.ok(Number.isNaN(p.grad!.values[1]));
  });

  it('rejects bad arguments', () => {
    assertThrows(() => sd.optim.clipGradNorm_([], -1), sd.ValueError, /clipGradNorm_: maxNorm must be >= 0, got -1/);
    assertThrows(() => sd.optim.clipGradNorm_([], 1, 0), sd.ValueError, /clipGradNorm_: normType must be > 0 \(or Infinity\), got 0/);
    assertThrows(() => sd.optim.clipGradValue_([], -0.5), sd.ValueError, /clipGradValue_: clipValue must be >= 0, got -0.5/);
    assertThrows(() => sd.optim.clipGradValue_([3 as never], 1), TypeError, /clipGradValue_: parameter 0 is not a Tensor/);
  });
});
