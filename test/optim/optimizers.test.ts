import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import { nativeAdamUpdate, nativeSgdUpdate } from '../../src/backend/native/index.js';
import { adamUpdate } from '../../src/optim/adam.js';
import { sgdUpdate } from '../../src/optim/sgd.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';

interface Enc {
  shape: number[];
  data: number[];
}
interface OptimCase {
  name: string;
  kind: 'optimizer' | 'quadratic';
  optimizer: 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[] | null;
  params: Enc[];
  grads: (Enc | null)[][];
  trajectory: Enc[][];
  a: Enc;
  b: Enc;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as OptimCase[]).filter(
  (c) => c.kind === 'optimizer' || c.kind === 'quadratic',
);
const toTensor = (e: Enc, dtype: sd.DType): sd.Tensor => sd.tensor(e.data, e.shape, dtype);
const OPTIMIZERS = { SGD: sd.optim.SGD, Adagrad: sd.optim.Adagrad, RMSprop: sd.optim.RMSprop, Adam: sd.optim.Adam, AdamW: sd.optim.AdamW };

function build(c: OptimCase, params: sd.Tensor[]): sd.optim.Optimizer {
  const Cls = OPTIMIZERS[c.optimizer] as unknown as new (p: unknown, o: unknown) => sd.optim.Optimizer;
  const spec = c.groups ? c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options })) : params;
  return new Cls(spec, c.options);
}

function feed(c: OptimCase, params: sd.Tensor[], step: number, dtype: sd.DType): void {
  c.grads[step].forEach((g, i) => (params[i].grad = g ? toTensor(g, dtype) : null));
}

const TOLERANCE = { float32: { atol: 1e-5, rtol: 1e-5 }, float64: { atol: 1e-10, rtol: 1e-10 } } as const;

describeEachBackend('optimizers match torch.optim trajectories', () => {
  for (const c of cases.filter((k) => k.kind === 'optimizer')) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${c.name} (${dtype})`, () => {
        const params = c.params.map((p) => new sd.nn.Parameter(toTensor(p, dtype)));
        const opt = build(c, params);
        for (let step = 0; step < c.trajectory.length; step++) {
          feed(c, params, step, dtype);
          opt.step();
          c.trajectory[step].forEach((e, i) => assertClose(params[i], Float64Array.from(e.data), TOLERANCE[dtype]));
        }
      });
    }
  }
});

describe('optimizer stateDict resumes exactly', () => {
  for (const c of cases.filter((k) => k.kind === 'optimizer')) {
    it(c.name, () => {
      const params = c.params.map((p) => new sd.nn.Parameter(toTensor(p, 'float64')));
      const opt = build(c, params);
      for (let step = 0; step < 3; step++) {
        feed(c, params, step, 'float64');
        opt.step();
      }
      const saved = opt.stateDict();
      const snapshot = JSON.stringify(saved.paramGroups);
      // a fresh optimizer on copies of the parameters continues where the first stopped
      const copies = params.map((p) => new sd.nn.Parameter(p.clone()));
      const resumed = build(c, copies);
      resumed.loadStateDict(saved);
      feed(c, params, 3, 'float64');
      opt.step(); // the saved dict is a copy: stepping the original does not change it
      assert.equal(JSON.stringify(saved.paramGroups), snapshot);
      for (let step = 3; step < c.trajectory.length; step++) {
        feed(c, copies, step, 'float64');
        resumed.step();
        c.trajectory[step].forEach((e, i) => assertClose(copies[i], Float64Array.from(e.data), TOLERANCE.float64));
      }
    });
  }
});

describeEachBackend('optimizers with gradients from backward', () => {
  for (const c of cases.filter((k) => k.kind === 'quadratic')) {
    it(c.name, () => {
      const p = new sd.nn.Parameter(toTensor(c.params[0], 'float32'));
      const a = toTensor(c.a, 'float32');
      const b = toTensor(c.b, 'float32');
      const opt = build(c, [p]);
      for (const expected of c.trajectory) {
        opt.zeroGrad();
        sd.sum(sd.mul(a, sd.square(sd.sub(p, b)))).backward();
        opt.step();
        assertClose(p, Float64Array.from(expected[0].data), TOLERANCE.float32);
      }
    });
  }
});

describe('Optimizer base', () => {
  const param = (): sd.nn.Parameter => new sd.nn.Parameter(sd.tensor([1, 2, 3]));

  it('zeroGrad sets gradients to null, or to new zero tensors', () => {
    const p = param();
    const opt = new sd.optim.SGD([p], { lr: 0.1 });
    const g = sd.tensor([1, 1, 1]);
    p.grad = g;
    opt.zeroGrad(false);
    assertClose(p.grad!, [0, 0, 0]);
    assertClose(g, [1, 1, 1]); // never written in place: backward may share gradient tensors
    opt.zeroGrad();
    assert.equal(p.grad, null);
  });

  it('skips parameters without a gradient and gives them no state', () => {
    const [p, q] = [param(), param()];
    const opt = new sd.optim.Adam([p, q], { lr: 0.1 });
    p.grad = sd.tensor([1, 1, 1]);
    opt.step();
    assert.ok(opt.state.has(p));
    assert.ok(!opt.state.has(q));
    assertClose(q, [1, 2, 3]);
    assert.deepEqual(Object.keys(opt.stateDict().state), ['0']);
  });

  it('step(closure) evaluates the loss with gradients recorded and returns it', () => {
    const p = param();
    const opt = new sd.optim.SGD([p], { lr: 0.5 });
    const loss = sd.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = sd.sum(sd.square(p));
        l.backward();
        return l;
      }),
    );
    assert.equal(loss, 14);
    assertClose(p, [0, 0, 0]);
  });

  it('param groups take their own options; addParamGroup adds more', () => {
    const [p, q, r] = [param(), param(), param()];
    const opt = new sd.optim.SGD([{ params: [p] }, { params: [q], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [r], momentum: 0 });
    assert.deepEqual(opt.paramGroups.map((g) => [g.lr, g.momentum]), [[0.1, 0.9], [0.5, 0.9], [0.1, 0]]);
    assert.equal(opt.name, 'SGD');
    assert.equal(new sd.optim.AdamW([p]).paramGroups[0].weightDecay, 0.01);
  });

  it('works with Module.parameters()', () => {
    class Affine extends sd.nn.Module {
      w = new sd.nn.Parameter(sd.tensor([2]));
      forward(x: sd.Tensor): sd.Tensor {
        return sd.mul(x, this.w);
      }
    }
    const m = new Affine();
    const opt = new sd.optim.SGD(m.parameters(), { lr: 0.25 });
    sd.sum(m.call(sd.tensor([1, 3]))).backward();
    opt.step();
    assertClose(m.w, [1]);
  });

  it('rejects bad hyperparameters, naming the value', () => {
    const ps = [param()];
    assertThrows(() => new sd.optim.Adam(ps, { lr: -0.1 }), sd.ValueError, /^Adam: lr must be >= 0, got -0.1$/);
    assertThrows(() => new sd.optim.AdamW(ps, { eps: -1 }), sd.ValueError, /AdamW: eps must be >= 0, got -1/);
    assertThrows(() => new sd.optim.Adam(ps, { betas: [0.9, 1] }), sd.ValueError, /Adam: betas\[1\] must be in \[0, 1\), got 1/);
    assertThrows(() => new sd.optim.Adam(ps, { betas: [0.9] as never }), sd.ValueError, /betas must be two numbers/);
    assertThrows(() => new sd.optim.SGD(ps, { momentum: -0.5 }), sd.ValueError, /SGD: momentum must be >= 0, got -0.5/);
    assertThrows(() => new sd.optim.SGD(ps, { nesterov: true }), sd.ValueError, /SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0/);
    assertThrows(() => new sd.optim.SGD(ps, { lr: NaN }), sd.ValueError, /SGD: lr must be >= 0, got NaN/);
    assertThrows(() => new sd.optim.RMSprop(ps, { alpha: -1 }), sd.ValueError, /RMSprop: alpha must be >= 0, got -1/);
    assertThrows(() => new sd.optim.Adagrad(ps, { lrDecay: -1 }), sd.ValueError, /Adagrad: lrDecay must be >= 0, got -1/);
    assertThrows(() => new sd.optim.Adagrad(ps, { initialAccumulatorValue: -1 }), sd.ValueError, /initialAccumulatorValue must be >= 0/);
    assertThrows(
      () => new sd.optim.SGD([{ params: ps, lr: -1 }]),
      sd.ValueError,
      /SGD: lr must be >= 0, got -1 \(param group 0\)/,
    );
    assertThrows(
      () => new sd.optim.Adam(ps, { weight_decay: 0.1 } as never),
      sd.ValueError,
      /Adam: unknown option 'weight_decay' \(valid: lr, betas, eps, weightDecay, amsgrad, maximize\)/,
    );
  });

  it('rejects bad parameter lists', () => {
    const p = param();
    assertThrows(() => new sd.optim.SGD([]), sd.ValueError, /SGD: got an empty parameter list/);
    assertThrows(() => new sd.optim.SGD(p as never), TypeError, /got a single Tensor \(wrap it in an array\)/);
    assertThrows(() => new sd.optim.SGD([{ params: [p] }, { params: [p] }]), sd.ValueError, /parameter 0 \(param group 1\) appears in more than one param group/);
    assertThrows(() => new sd.optim.SGD([sd.tensor(new Int32Array([1]))]), sd.DTypeError, /SGD: parameter 0 \(param group 0\) must be float32 or float64, got int32/);
    const x = sd.tensor([1, 2]).requiresGrad_();
    assertThrows(() => new sd.optim.SGD([sd.mul(x, 2)]), sd.ValueError, /is not a leaf tensor \(it was computed by 'mul'\)/);
    assertThrows(() => new sd.optim.SGD([1 as never]), TypeError, /parameter 0 \(param group 0\) is not a Tensor/);
  });

  it('loadStateDict refuses a dict of another layout', () => {
    const [p, q] = [param(), param()];
    const one = new sd.optim.Adam([p, q]);
    const two = new sd.optim.Adam([{ params: [p] }, { params: [q] }]);
    assertThrows(() => one.loadStateDict(two.stateDict()), sd.ValueError, /the state dict has 2 param groups, the optimizer has 1/);
    const small = new sd.optim.Adam([p]);
    assertThrows(() => small.loadStateDict(one.stateDict()), sd.ValueError, /param group 0 has 2 parameters in the state dict, 1 in the optimizer/);
    p.grad = sd.tensor([1, 1, 1]);
    small.step();
    const other = new sd.optim.Adam([new sd.nn.Parameter(sd.zeros([2]))]);
    assertThrows(() => other.loadStateDict(small.stateDict()), sd.ShapeError, /state 'expAvg' of parameter 0 has shape \[3\], the parameter has \[2\]/);
  });

  it('loadStateDict converts state to the parameter dtype and restores hyperparameters', () => {
    const p = param();
    const opt = new sd.optim.Adam([p], { lr: 0.1 });
    p.grad = sd.tensor([1, 1, 1]);
    opt.step();
    const state = opt.stateDict();
    const q = new sd.nn.Parameter(sd.tensor([1, 2, 3], undefined, 'float64'));
    const other = new sd.optim.Adam([q], { lr: 0.5 });
    other.loadStateDict(state);
    assert.equal(other.paramGroups[0].lr, 0.1);
    assert.equal((other.state.get(q)!.expAvg as sd.Tensor).dtype, 'float64');
    assert.equal(other.state.get(q)!.step, 1);
  });
});

describe('fused native optimizer steps match the TypeScript updates', { skip: !sd.listBackends().includes('native') }, () => {
  const n = 1023; // odd, so the vector loops' tails run
  const random = (seed: number): Float32Array => Float32Array.from(sd.randn([n], { generator: new sd.Generator(seed) }).values);
  const run = (update: (native: boolean, arrays: Float32Array[]) => void, count: number): void => {
    const fresh = (): Float32Array[] => Array.from({ length: count }, (_, i) => (i < 2 ? random(i + 1) : new Float32Array(n)));
    const [a, b] = [fresh(), fresh()];
    const previous = sd.getBackend();
    sd.setBackend('native');
    try {
      for (let step = 0; step < 5; step++) {
        update(true, a);
        update(false, b);
      }
    } finally {
      sd.setBackend(previous);
    }
    a.forEach((x, i) => assertClose(sd.tensor(x), b[i], { atol: 1e-6, rtol: 1e-5 }));
  };
  for (const [name, extra] of [['Adam', {}], ['AdamW', { decoupled: true, weightDecay: 0.1 }], ['Adam L2, maximize', { weightDecay: 0.1, maximize: true }]] as const) {
    for (const amsgrad of [false, true]) {
      it(`${name}${amsgrad ? ' AMSGrad' : ''}`, () => {
        let step = 0;
        run((native, [p, g, m, v, vmax]) => {
          if (native) step++;
          const h = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maximize: false, decoupled: false, step, ...extra };
          const max = amsgrad ? vmax : null;
          if (native) assert.equal(nativeAdamUpdate(p, g, m, v, max, h), true);
          else adamUpdate(p, g, m, v, max, h);
        }, 5);
      });
    }
  }
  for (const [name, extra] of [['SGD', { momentum: 0 }], ['momentum', { momentum: 0.9, dampening: 0.1 }], ['Nesterov, weight decay', { momentum: 0.9, nesterov: true, weightDecay: 0.01 }]] as const) {
    it(`SGD ${name}`, () => {
      let step = 0;
      run((native, [p, g, buf]) => {
        if (native) step++;
        const h = { lr: 0.1, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: step === 1, ...extra };
        const b = h.momentum ? buf : null;
        if (native) assert.equal(nativeSgdUpdate(p, g, b, h), true);
        else sgdUpdate(p, g, b, h);
      }, 3);
    });
  }
  it('declines float64 arrays and another active backend', () => {
    const h = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: true };
    const previous = sd.getBackend();
    try {
      sd.setBackend('native');
      assert.equal(nativeSgdUpdate(new Float64Array(3), new Float64Array(3), null, h), false);
      sd.setBackend('js');
      assert.equal(nativeSgdUpdate(new Float32Array(3), new Float32Array(3), null, h), false);
    } finally {
      sd.setBackend(previous);
    }
  });
});
