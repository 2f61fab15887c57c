/**
 * Shared test helpers: run a suite on every backend, compare tensors with tolerances,
 * check ops against PyTorch fixtures and gradients by finite differences.
 */
import { describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../src/index.js';

/**
 * Declares `suite` once per backend present, with that backend active while its tests
 * run. Tests written inside run on js, and on native where it built.
 */
export function describeEachBackend(name: string, suite: (backend: string) => void): void {
  for (const backend of sd.listBackends()) {
    describe(`${name} [${backend}]`, () => {
      let previous = '';
      // hooks of a describe run around each of its tests, so the backend is active for each
      beforeEach(() => {
        previous = sd.getBackend();
        sd.setBackend(backend);
      });
      afterEach(() => sd.setBackend(previous));
      suite(backend);
    });
  }
}

export interface Tolerance {
  atol?: number;
  rtol?: number;
}

type Expected = sd.Tensor | sd.NestedArray | ArrayLike<number>;

/**
 * Asserts that `actual` has the expected shape (when given a tensor or nested array)
 * and values within atol + rtol·|expected|. NaN matches NaN; infinities must match.
 */
export function assertClose(actual: sd.Tensor, expected: Expected, tol: Tolerance = {}): void {
  const { atol = 1e-5, rtol = 1e-4 } = tol;
  let values: ArrayLike<number>;
  if (expected instanceof sd.Tensor) {
    assert.deepEqual([...actual.shape], [...expected.shape], 'shape');
    values = expected.values;
  } else if (Array.isArray(expected) || typeof expected === 'number' || typeof expected === 'boolean') {
    const e = sd.tensor(expected as sd.NestedArray, undefined, 'float64');
    assert.deepEqual([...actual.shape], [...e.shape], 'shape');
    values = e.values;
  } else {
    values = expected as ArrayLike<number>;
  }
  assert.equal(actual.size, values.length, 'number of elements');
  for (let i = 0; i < values.length; i++) {
    const a = Number(actual.values[i]);
    const e = Number(values[i]);
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) {
      assert.fail(`element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})\nactual: ${actual.toString()}`);
    }
  }
}

/** A tensor serialised by the fixture generators (test/fixtures/gen_*.py). */
export interface FixtureTensor {
  shape: number[];
  dtype: sd.DType;
  data: (number | string)[];
}

export interface FixtureCase {
  name: string;
  inputs: FixtureTensor[];
  /** Keyword arguments of the op, as the generator recorded them. */
  args: Record<string, unknown>;
  output: FixtureTensor;
  /** Gradients of Σ output·outGrad w.r.t. each float input, when recorded. */
  outGrad?: FixtureTensor;
  grads?: (FixtureTensor | null)[];
}

/** Reads `test/fixtures/<family>.json`, written by `npm run fixtures`. */
export function loadFixtures(family: string): Map<string, FixtureCase> {
  const path = new URL(`./fixtures/${family}.json`, import.meta.url);
  const cases = JSON.parse(readFileSync(path, 'utf8')) as FixtureCase[];
  return new Map(cases.map((c) => [c.name, c]));
}

/** Turns a fixture tensor into a Tensor; 'nan', 'inf' and '-inf' are spelled as strings in JSON. */
export function fromFixture(t: FixtureTensor): sd.Tensor {
  const data = t.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
  const dtype = t.dtype === 'float64' && sd.getBackend() !== 'js' ? 'float32' : t.dtype;
  return sd.tensor(data, t.shape, dtype);
}

/**
 * Checks one fixture case: runs `op` on its inputs and compares the output and, when the
 * fixture recorded them, the gradients of Σ output·outGrad.
 */
export function checkFixture(
  fixtures: Map<string, FixtureCase>,
  name: string,
  op: (...inputs: sd.Tensor[]) => sd.Tensor,
  tol: Tolerance = {},
): void {
  const c = fixtures.get(name);
  if (!c) throw new Error(`no fixture named '${name}'; run npm run fixtures`);
  const inputs = c.inputs.map(fromFixture);
  const withGrad = c.grads ? inputs.map((x, i) => (c.grads![i] ? x.requiresGrad_() : x)) : inputs;
  const out = op(...withGrad);
  assert.equal(out.dtype === 'float64' ? 'float32' : out.dtype, c.output.dtype === 'float64' ? 'float32' : c.output.dtype, `${name}: dtype`);
  assertClose(out, fromFixture(c.output), tol);
  if (c.grads && c.outGrad) {
    out.backward(fromFixture(c.outGrad));
    c.grads.forEach((g, i) => {
      if (!g) return;
      assert.ok(withGrad[i].grad, `${name}: input ${i} has no gradient`);
      assertClose(withGrad[i].grad!, fromFixture(g), tol);
    });
  }
}

/**
 * Gradient check in float64 on the js backend (the only one with float64): analytic
 * against central differences.
 */
export function checkGrad(f: (...xs: sd.Tensor[]) => sd.Tensor, inputs: sd.Tensor[], tol: Tolerance = {}): void {
  const previous = sd.getBackend();
  sd.setBackend('js');
  try {
    sd.gradcheck(f, inputs, { atol: tol.atol ?? 1e-5, rtol: tol.rtol ?? 1e-3 });
  } finally {
    sd.setBackend(previous);
  }
}

/** Asserts that `fn` throws `errorClass` with a message matching `message`. */
export function assertThrows(fn: () => unknown, errorClass: new (...args: never[]) => Error, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof errorClass, `expected ${errorClass.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.match((err as Error).message, message);
    return true;
  });
}
