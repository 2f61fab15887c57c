// Tests of src/ops/norm.ts: vector norms over axes.
import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('reduce');

type Args = { ord: number | string; axes?: number | number[] | null; keepDims?: boolean; sliceT?: boolean };

const ordOf = (ord: number | string): sd.NormOrd => (ord === 'Infinity' || ord === '-Infinity' ? Number(ord) : (ord as sd.NormOrd));

describeEachBackend('reduce norm', () => {
  for (const [name, c] of fixtures) {
    if (!name.startsWith('norm_')) continue;
    const a = c.args as Args;
    it(`matches PyTorch: ${name} ${JSON.stringify(a)}`, () => {
      // sliceT: the fixture's input goes through x[:, ::2].t() first, in PyTorch and here
      const input = (x: sd.Tensor) => (a.sliceT ? sd.transpose(sd.index(x, ':, ::2')) : x);
      checkFixture(fixtures, name, (x) => sd.norm(input(x), ordOf(a.ord), a.axes ?? undefined, a.keepDims ?? false));
    });
  }

  it('computes the usual norms', () => {
    const x = sd.tensor([[3, -4], [0, 0]]);
    assertClose(sd.norm(x), 5);
    assertClose(sd.norm(x, 'euclidean', 1), [5, 0]);
    assertClose(sd.norm(x, 1, 1, true), [[7], [0]]);
    assertClose(sd.norm(x, Infinity, 0), [3, 4]);
    assertClose(sd.norm(x, -Infinity, 1), [3, 0]);
    assertClose(sd.norm(x, 3), Math.cbrt(27 + 64));
    assertClose(sd.norm(sd.scalar(-2)), 2);
    assertClose(sd.norm(x, 2, []), [[3, 4], [0, 0]]);
  });

  it('gives a zero vector a zero gradient for every p, as PyTorch', () => {
    for (const ord of [2, 1, 3, 0.5, Infinity, -Infinity, 'fro'] as const) {
      const x = sd.zeros([3]).requiresGrad_();
      sd.norm(x, ord).backward();
      assertClose(x.grad!, [0, 0, 0]);
    }
  });

  it('splits the Infinity-norm gradient among the largest magnitudes', () => {
    const x = sd.tensor([3, -3, 1]).requiresGrad_();
    sd.norm(x, Infinity).backward();
    assertClose(x.grad!, [0.5, -0.5, 0]);
  });

  it('rejects a bad ord, empty Infinity norms, bad axes and non-float input, naming the op', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.norm(x, 0), sd.ValueError, /norm: ord must be a number > 0, Infinity, -Infinity, 'fro' or 'euclidean', got 0/);
    assertThrows(() => sd.norm(x, -1), sd.ValueError, /norm: ord must be .*, got -1/);
    assertThrows(() => sd.norm(x, 'nuc' as sd.NormOrd), sd.ValueError, /norm: ord must be .*, got 'nuc'/);
    assertThrows(() => sd.norm(x, NaN), sd.ValueError, /norm: ord must be .*, got NaN/);
    assertThrows(() => sd.norm(sd.zeros([2, 0]), Infinity, 1), sd.ValueError, /norm: the Infinity norm over zero elements is undefined \(shape \[2,0\], axes \[1\]\)/);
    assertThrows(() => sd.norm(x, 2, 2), sd.ValueError, /norm: axis 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/);
    assertThrows(() => sd.norm(x, 2, [1, 1]), sd.ValueError, /norm: axes contain a repeated axis/);
    assertThrows(() => sd.norm(sd.tensor(new Int32Array([3, 4]))), sd.DTypeError, /norm: x must be float32 or float64, got int32/);
  });
});

it('norm gradients pass gradcheck', () => {
  sd.seed(5);
  const x = sd.randn([2, 3, 4]);
  for (const ord of [2, 1, 3, 1.5, 0.5, Infinity, -Infinity, 'fro'] as const) {
    for (const axes of [undefined, 1, [0, 2], -1] as const) {
      checkGrad((t) => sd.norm(t, ord, axes), [x]);
      checkGrad((t) => sd.norm(t, ord, axes, true), [x]);
    }
  }
});
