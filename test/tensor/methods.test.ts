import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose } from '../helpers.js';

it('ops chain as tensor methods and give the same values as the functions', () => {
  sd.seed(3);
  const x = sd.randn([4, 3]);
  const w = sd.randn([3, 2]);
  const chained = x.matmul(w).add(1).relu().sum(1);
  const direct = sd.sum(sd.relu(sd.add(sd.matmul(x, w), 1)), 1);
  assertClose(chained, direct);
  assert.deepEqual(x.reshape([2, -1]).transpose().shape, [6, 2]);
  assert.equal(x.argmax(1).dtype, 'int32');
});

it('methods record gradients like the functions', () => {
  const x = sd.tensor([1, -2, 3]).requiresGrad_();
  x.square().mul(0.5).sum().backward();
  assertClose(x.grad!, [1, -2, 3]);
});

it('method errors name the op as the function does', () => {
  assert.throws(() => sd.zeros([2, 3]).add(sd.zeros([4])), /add: shapes \[2,3\] and \[4\] cannot be broadcast/);
});

it('the names of the issue list and of PyTorch reach the same ops, also as methods', () => {
  const x = sd.tensor([[1, 2, 4], [3, 5, 9]]);
  assertClose(sd.var(x, { axes: 1 }), sd.variance(x, { axes: 1 }));
  assertClose(x.var({ axes: 0, correction: 0 }), [1, 2.25, 6.25]);
  assert.equal(sd.swish, sd.silu);
  assert.equal(sd.clamp, sd.clip);
  assertClose(x.expand([2, 2, 3]), sd.broadcastTo(x, [2, 2, 3]));
  assertClose(x.permute(1, 0), sd.transpose(x));
  assertClose(x.indexSelect(1, [2, 0]), sd.gather(x, [2, 0], 1));
  assertClose(x.takeAlongAxis([[0], [2]], 1), [[1], [9]]);
});
