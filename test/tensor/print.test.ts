import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import * as sd from '../../src/index.js';
import { formatExponential, formatFixed } from '../../src/tensor/print.js';

interface PrintCase {
  name: string;
  shape: number[];
  dtype: sd.DType;
  data: (number | boolean | string)[];
  expected: string;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/print.json', import.meta.url), 'utf8')) as PrintCase[];

function build(c: PrintCase): sd.Tensor {
  const data = c.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : Number(v)));
  return sd.tensor(data, c.shape, c.dtype);
}

describe('toString prints as PyTorch str() (dtype=int32 for dtype=torch.int32)', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(build(c).toString(), c.expected);
    });
  }
});

it('String(), template literals and console.log use toString', () => {
  const x = sd.tensor([[1, 2], [3, 4]]);
  assert.equal(String(x), 'tensor([[1., 2.],\n        [3., 4.]])');
  assert.equal(`${sd.scalar(5, 'int32')}`, 'tensor(5, dtype=int32)');
  assert.equal(inspect(x), x.toString());
  assert.equal(inspect({ w: sd.scalar(1) }), '{ w: tensor(1.) }');
});

it('formats numbers as Python does, ties to even on the exact binary value', () => {
  assert.equal(formatFixed(0.03125, 4), '0.0312');
  assert.equal(formatFixed(0.09375, 4), '0.0938');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(-2.5, 0), '-2');
  assert.equal(formatFixed(3.5, 0), '4');
  assert.equal(formatFixed(1.005, 2), '1.00'); // 1.005 is stored just below 1.005
  assert.equal(formatFixed(-0, 4), '-0.0000');
  assert.equal(formatFixed(-0.00001, 4), '-0.0000');
  assert.equal(formatFixed(1e21, 1), '1000000000000000000000.0');
  assert.equal(formatExponential(123445, 4), '1.2344e+05');
  assert.equal(formatExponential(123455, 4), '1.2346e+05');
  assert.equal(formatExponential(9.99996e-7, 4), '1.0000e-06');
  assert.equal(formatExponential(1e-300, 4), '1.0000e-300');
  assert.equal(formatExponential(5e-324, 2), '4.94e-324');
  assert.equal(formatExponential(0, 4), '0.0000e+00');
  assert.equal(formatExponential(-Infinity, 4), '-inf');
  assert.equal(formatFixed(NaN, 4), 'nan');
});
