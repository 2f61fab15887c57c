import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

interface SchedCase {
  name: string;
  optimizer: 'SGD' | 'Adam';
  lrs: number[][];
  momenta?: number[][];
  metrics?: number[];
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/lr_scheduler.json', import.meta.url), 'utf8')) as SchedCase[];

type Opt = sd.optim.Optimizer;
interface Steppable {
  step(metric: number): void;
}
const o = sd.optim;

/** The same schedules as test/fixtures/gen_lr_scheduler.py, by case name. */
const BUILDERS: Record<string, (opt: Opt) => Steppable | Steppable[]> = {
  step: (opt) => new o.StepLR(opt, { stepSize: 7, gamma: 0.5 }),
  multistep: (opt) => new o.MultiStepLR(opt, { milestones: [12, 5, 30, 12], gamma: 0.3 }),
  exponential: (opt) => new o.ExponentialLR(opt, { gamma: 0.9 }),
  cosine: (opt) => new o.CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.001 }),
  cosine_long: (opt) => new o.CosineAnnealingLR(opt, { tMax: 25 }),
  linear_warmup: (opt) => new o.LinearLR(opt, { startFactor: 0.25, totalIters: 8 }),
  linear_decay: (opt) => new o.LinearLR(opt, { startFactor: 1, endFactor: 0.1, totalIters: 10 }),
  linear_default: (opt) => new o.LinearLR(opt),
  lambda: (opt) => new o.LambdaLR(opt, { lrLambda: [(e) => 1 / (1 + e), (e) => 0.95 ** e] }),
  chained_step_exponential: (opt) => [new o.StepLR(opt, { stepSize: 5, gamma: 0.5 }), new o.ExponentialLR(opt, { gamma: 0.95 })],
  one_cycle: (opt) => new o.OneCycleLR(opt, { maxLr: [0.5, 0.05], totalSteps: 40 }),
  one_cycle_epochs_linear: (opt) =>
    new o.OneCycleLR(opt, {
      maxLr: 0.2, epochs: 4, stepsPerEpoch: 10, pctStart: 0.4, annealStrategy: 'linear',
      divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9,
    }),
  one_cycle_three_phase_adam: (opt) => new o.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 30, pctStart: 0.25, threePhase: true }),
  one_cycle_no_momentum: (opt) => new o.OneCycleLR(opt, { maxLr: 0.3, totalSteps: 40, cycleMomentum: false }),
  sequential_warmup_cosine: (opt) =>
    new o.SequentialLR(opt, {
      schedulers: [new o.LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new o.CosineAnnealingLR(opt, { tMax: 20 })],
      milestones: [5],
    }),
  sequential_three: (opt) =>
    new o.SequentialLR(opt, {
      schedulers: [
        new o.ExponentialLR(opt, { gamma: 0.8 }),
        new o.StepLR(opt, { stepSize: 4, gamma: 0.5 }),
        new o.MultiStepLR(opt, { milestones: [3, 6], gamma: 0.1 }),
      ],
      milestones: [6, 20],
    }),
  plateau_min: (opt) => new o.ReduceLROnPlateau(opt, { patience: 2 }),
  plateau_max_abs_cooldown: (opt) =>
    new o.ReduceLROnPlateau(opt, {
      mode: 'max', factor: 0.5, patience: 1, threshold: 0.015, thresholdMode: 'abs', cooldown: 2, minLr: [0.02, 0.004],
    }),
};

function makeOptimizer(kind: 'SGD' | 'Adam'): Opt {
  const groups = [
    { params: [new sd.nn.Parameter(sd.zeros([2]))], lr: 0.1 },
    { params: [new sd.nn.Parameter(sd.zeros([3]))], lr: 0.01 },
  ];
  return kind === 'Adam' ? new o.Adam(groups) : new o.SGD(groups, { lr: 0.1, momentum: 0.9 });
}

const momenta = (opt: Opt): number[] =>
  opt.paramGroups.map((g) => {
    const group = g as unknown as { betas?: number[]; momentum?: number };
    return group.betas ? group.betas[0] : group.momentum!;
  });

function assertSeq(name: string, actual: number[][], expected: number[][]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, step) =>
    row.forEach((v, g) => {
      const e = expected[step][g];
      assert.ok(Math.abs(v - e) <= 1e-12 + 1e-9 * Math.abs(e), `${name}: step ${step}, group ${g}: got ${v}, torch ${e}`);
    }),
  );
}

describe('LR schedulers match torch.optim.lr_scheduler', () => {
  for (const c of cases) {
    it(c.name, () => {
      const opt = makeOptimizer(c.optimizer);
      const built = BUILDERS[c.name](opt);
      const scheds = Array.isArray(built) ? built : [built];
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      const moms = [momenta(opt)];
      for (let step = 0; step < c.lrs.length - 1; step++) {
        opt.step();
        for (const s of scheds) s.step(c.metrics?.[step] as number);
        lrs.push(opt.paramGroups.map((g) => g.lr));
        moms.push(momenta(opt));
      }
      assertSeq(c.name, lrs, c.lrs);
      if (c.momenta) assertSeq(`${c.name} momentum`, moms, c.momenta);
    });
  }
});

describe('LR schedulers', () => {
  it('getLastLr, initialLr and baseLrs', () => {
    const opt = makeOptimizer('SGD');
    const s = new o.StepLR(opt, { stepSize: 2 });
    assert.deepEqual(s.getLastLr(), [0.1, 0.01]);
    assert.deepEqual(opt.paramGroups.map((g) => g.initialLr), [0.1, 0.01]);
    s.step();
    s.step();
    assert.ok(Math.abs(s.getLastLr()[0] - 0.01) < 1e-15);
    assert.deepEqual(s.baseLrs, [0.1, 0.01]);
    assert.equal(s.lastEpoch, 2);
  });

  it('stateDict resumes the schedule, with the optimizer state', () => {
    const run = (steps: number, resumeAt?: number): number[] => {
      let opt = makeOptimizer('SGD');
      let s = new o.CosineAnnealingLR(opt, { tMax: 7, etaMin: 0.001 });
      for (let i = 0; i < steps; i++) {
        if (i === resumeAt) {
          const [optState, schedState] = [opt.stateDict(), s.stateDict()];
          opt = makeOptimizer('SGD');
          opt.loadStateDict(optState);
          s = new o.CosineAnnealingLR(opt, { tMax: 7, etaMin: 0.001, lastEpoch: resumeAt });
          s.loadStateDict(schedState);
        }
        opt.step();
        s.step();
      }
      return s.getLastLr();
    };
    assert.deepEqual(run(12, 5), run(12));
  });

  it('ReduceLROnPlateau state round trips and accepts a scalar tensor', () => {
    const opt = makeOptimizer('SGD');
    const s = new o.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    s.step(sd.tensor(1));
    s.step(2);
    assert.deepEqual(s.getLastLr(), [0.05, 0.005]);
    const state = s.stateDict();
    const t = new o.ReduceLROnPlateau(makeOptimizer('SGD'));
    t.loadStateDict(state);
    assert.equal(t.best, 1);
    assert.equal(t.factor, 0.5);
    assertThrows(() => t.loadStateDict({ bogus: 1 }), sd.ValueError, /ReduceLROnPlateau.loadStateDict: unexpected key 'bogus'/);
  });

  it('OneCycleLR refuses to step past the cycle', () => {
    const s = new o.OneCycleLR(makeOptimizer('SGD'), { maxLr: 0.1, totalSteps: 3 });
    s.step();
    s.step();
    s.step();
    assertThrows(() => s.step(), sd.ValueError, /OneCycleLR: stepped 5 times, but the cycle has totalSteps 3/);
  });

  it('rejects bad arguments, naming the value', () => {
    const opt = makeOptimizer('SGD');
    assertThrows(() => new o.StepLR(opt, { stepSize: 0 }), sd.ValueError, /StepLR: stepSize must be a positive integer, got 0/);
    assertThrows(() => new o.ExponentialLR(opt, { gamma: -1 }), sd.ValueError, /ExponentialLR: gamma must be > 0, got -1/);
    assertThrows(() => new o.MultiStepLR(opt, { milestones: [1.5] }), sd.ValueError, /milestones must be an array of non-negative integers, got \[1.5\]/);
    assertThrows(() => new o.CosineAnnealingLR(opt, { tMax: 0 }), sd.ValueError, /CosineAnnealingLR: tMax must be a positive integer, got 0/);
    assertThrows(() => new o.LinearLR(opt, { startFactor: 0 }), sd.ValueError, /LinearLR: startFactor must be in \(0, 1\], got 0/);
    assertThrows(() => new o.LinearLR(opt, { endFactor: 2 }), sd.ValueError, /LinearLR: endFactor must be in \[0, 1\], got 2/);
    assertThrows(() => new o.OneCycleLR(opt, { maxLr: 0.1 }), sd.ValueError, /OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch/);
    assertThrows(() => new o.OneCycleLR(opt, { maxLr: [0.1], totalSteps: 5 }), sd.ValueError, /maxLr must be one number or one per param group \(2\), got \[0.1\]/);
    assertThrows(() => new o.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 5, pctStart: 2 }), sd.ValueError, /pctStart must be in \[0, 1\], got 2/);
    const plain = new o.Adagrad([new sd.nn.Parameter(sd.zeros([1]))]);
    assertThrows(() => new o.OneCycleLR(plain, { maxLr: 0.1, totalSteps: 5 }), sd.ValueError, /cycleMomentum needs an optimizer with momentum or betas, and Adagrad has neither/);
    assertThrows(() => new o.ReduceLROnPlateau(opt, { factor: 1 }), sd.ValueError, /ReduceLROnPlateau: factor must be in \[0, 1\), got 1/);
    assertThrows(() => new o.ReduceLROnPlateau(opt, { mode: 'up' as never }), sd.ValueError, /mode must be 'min' or 'max', got up/);
    assertThrows(() => new o.LambdaLR(opt, { lrLambda: [(e) => e] }), sd.ValueError, /lrLambda must be a function or one per param group \(2\)/);
    assertThrows(() => new o.StepLR({} as never, { stepSize: 1 }), TypeError, /StepLR: expected an optimizer/);
    const fresh = makeOptimizer('SGD');
    assertThrows(() => new o.StepLR(fresh, { stepSize: 1, lastEpoch: 3 }), sd.ValueError, /StepLR: resuming \(lastEpoch 3\) needs 'initialLr' in param group 0/);
    const other = makeOptimizer('SGD');
    assertThrows(
      () => new o.SequentialLR(opt, { schedulers: [new o.StepLR(other, { stepSize: 1 })], milestones: [] }),
      sd.ValueError,
      /SequentialLR: scheduler 0 \(StepLR\) drives a different optimizer/,
    );
    assertThrows(
      () => new o.SequentialLR(opt, { schedulers: [new o.StepLR(opt, { stepSize: 1 })], milestones: [3] }),
      sd.ValueError,
      /SequentialLR: milestones must be 0 epochs, one fewer than the schedulers, got \[3\]/,
    );
  });

  it('is also reachable as sd.optim.lrScheduler', () => {
    assert.equal(sd.optim.lrScheduler.StepLR, sd.optim.StepLR);
  });
});
