/**
 * Helpers of the layer tests: build a layer from a PyTorch fixture (test/fixtures/gen_nn.py),
 * load the torch state dict into it, and compare output, gradients, state and printout;
 * gradient checks over a module's input and parameters.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import { assertClose, checkGrad, fromFixture, type FixtureTensor, type Tolerance } from '../helpers.js';

export interface LayerFixture {
  name: string;
  /** [class name in sd.nn, config object] per layer; several make a Sequential. */
  layers: [string, Record<string, unknown>][];
  /** repr() of the torch module. */
  repr: string;
  training: boolean;
  state: Record<string, FixtureTensor>;
  /** Inputs of training forwards run before the recorded one. */
  warmup: FixtureTensor[];
  inputs: FixtureTensor[];
  output: FixtureTensor;
  outGrad: FixtureTensor;
  inputGrads: FixtureTensor[];
  paramGrads: Record<string, FixtureTensor>;
  stateAfter: Record<string, FixtureTensor>;
}

let cache: Map<string, LayerFixture> | undefined;

export function layerFixtures(): Map<string, LayerFixture> {
  if (!cache) {
    const path = new URL('../fixtures/nn.json', import.meta.url);
    const cases = JSON.parse(readFileSync(path, 'utf8')) as LayerFixture[];
    cache = new Map(cases.map((c) => [c.name, c]));
  }
  return cache;
}

/** `new sd.nn[cls](config)`: the config-object form of every layer constructor. */
export function buildLayer(cls: string, config: Record<string, unknown>): sd.nn.Module {
  const Layer = (sd.nn as unknown as Record<string, new (config: unknown) => sd.nn.Module>)[cls];
  assert.ok(Layer, `sd.nn has no layer ${cls}`);
  return new Layer(config);
}

export function buildFixtureModel(c: LayerFixture): sd.nn.Module {
  const layers = c.layers.map(([cls, config]) => buildLayer(cls, config));
  return layers.length === 1 ? layers[0] : new sd.nn.Sequential(...layers);
}

/**
 * Checks one fixture case: printout, state dict keys, forward values, gradients of the
 * input and of every parameter, and the state (running statistics) afterwards.
 */
export function checkLayerFixture(name: string, tol: Tolerance = {}): sd.nn.Module {
  const c = layerFixtures().get(name);
  if (!c) throw new Error(`no layer fixture named '${name}'; run /usr/bin/python3 test/fixtures/gen_nn.py`);
  const model = buildFixtureModel(c);
  assert.equal(model.toString(), c.repr, `${name}: printout`);
  assert.deepEqual(Object.keys(model.stateDict()), Object.keys(c.state), `${name}: state dict keys`);
  model.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, fromFixture(t)])));
  model.train(true);
  sd.noGrad(() => c.warmup.forEach((x) => model.call(fromFixture(x))));
  model.train(c.training);
  const inputs = c.inputs.map((t) => {
    const x = fromFixture(t);
    return x.dtype === 'int32' ? x : x.requiresGrad_();
  });
  const out = model.call(...inputs) as sd.Tensor;
  assertClose(out, fromFixture(c.output), tol);
  out.backward(fromFixture(c.outGrad));
  const floatInputs = inputs.filter((x) => x.dtype !== 'int32');
  floatInputs.forEach((x, i) => {
    assert.ok(x.grad, `${name}: input ${i} has no gradient`);
    assertClose(x.grad, fromFixture(c.inputGrads[i]), tol);
  });
  const params = model.namedParameters();
  assert.deepEqual(params.map(([n]) => n), Object.keys(c.paramGrads), `${name}: parameter names`);
  for (const [n, p] of params) {
    assert.ok(p.grad, `${name}: parameter ${n} has no gradient`);
    assertClose(p.grad, fromFixture(c.paramGrads[n]), tol);
  }
  const after = model.stateDict();
  for (const [k, t] of Object.entries(c.stateAfter)) assertClose(after[k], fromFixture(t), tol);
  return model;
}

/**
 * Gradient check of a module over its float inputs and all its parameters (float64, js
 * backend): the parameters are swapped for gradcheck's float64 copies during each call.
 * `beforeCall` runs before each forward (e.g. to reseed dropout).
 */
export function checkModuleGrad(module: sd.nn.Module, inputs: sd.Tensor[], tol: Tolerance = {}, beforeCall?: () => void): void {
  const named = module.namedParameters();
  const slots = named.map(([name]) => {
    const dot = name.lastIndexOf('.');
    const owner = module.getSubmodule(dot < 0 ? '' : name.slice(0, dot)) as unknown as Record<string, unknown>;
    return { owner, key: name.slice(dot + 1) };
  });
  const f = (...xs: sd.Tensor[]): sd.Tensor => {
    const saved = slots.map(({ owner, key }) => owner[key]);
    slots.forEach(({ owner, key }, i) => (owner[key] = xs[inputs.length + i]));
    try {
      beforeCall?.();
      return module.call(...xs.slice(0, inputs.length)) as sd.Tensor;
    } finally {
      slots.forEach(({ owner, key }, i) => (owner[key] = saved[i]));
    }
  };
  checkGrad(f, [...inputs, ...named.map(([, p]) => p)], tol);
}

/** The number of trainable values, as Keras' summary counts them. */
export function parameterCount(module: sd.nn.Module): number {
  return module.parameters().reduce((n, p) => n + p.size, 0);
}

/** Mean and population standard deviation of a tensor's values. */
export function moments(t: sd.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.values, Number);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}
