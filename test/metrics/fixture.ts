/** Runs the reference cases of test/fixtures/metrics.json (written by gen_metrics.py). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import type { FixtureTensor } from '../helpers.js';

interface MetricCase {
  name: string;
  fn: string;
  yTrue: FixtureTensor;
  yPred: FixtureTensor;
  options: Record<string, unknown>;
  expected: number | number[] | number[][];
}

const cases: MetricCase[] = JSON.parse(readFileSync(new URL('../fixtures/metrics.json', import.meta.url), 'utf8'));

const tensorOf = (t: FixtureTensor): sd.Tensor => sd.tensor(t.data as number[], t.shape, t.dtype);

/** Names of the cases starting with `prefix`. */
export function metricCases(prefix: string): string[] {
  const names = cases.filter((c) => c.name.startsWith(prefix)).map((c) => c.name);
  assert.ok(names.length > 0, `no metric fixtures start with '${prefix}'`);
  return names;
}

/** Calls the sd.metrics function the case names and compares with the reference to 1e-6. */
export function checkMetricFixture(name: string): void {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no metric fixture '${name}'; run /usr/bin/python3 test/fixtures/gen_metrics.py`);
  const fn = (sd.metrics as unknown as Record<string, (...args: unknown[]) => unknown>)[c.fn];
  const args: unknown[] = [tensorOf(c.yTrue), tensorOf(c.yPred)];
  if (c.fn === 'confusionMatrix') args.push(c.options.numClasses);
  else if (Object.keys(c.options).length > 0) args.push(c.options);
  let actual = fn(...args);
  if (actual instanceof sd.Tensor) actual = actual.array();
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(3) : [v]) as number[];
  const got = flat(actual);
  const want = flat(c.expected);
  assert.equal(got.length, want.length, `${name}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-6, `${name}[${i}]: got ${g}, expected ${want[i]}`));
}
