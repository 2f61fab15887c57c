// Gradient checks of whole graphs built from many ops: the gradients of the ops compose.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, checkGrad } from '../helpers.js';

const r = (shape: number[], scale = 1) => sd.mul(sd.randn(shape, { dtype: 'float64' }), scale);
const labels = (values: number[]) => sd.tensor(Int32Array.from(values));

/** Mean cross-entropy written out from ops: -mean(logSoftmax(z)[i, y_i]). */
function softmaxCrossEntropy(logits: sd.Tensor, y: sd.Tensor): sd.Tensor {
  const picked = sd.takeAlongAxis(sd.logSoftmax(logits, -1), sd.unsqueeze(y, 1), 1);
  return sd.neg(sd.mean(picked));
}

it('softmax-cross-entropy from ops and the fused loss pass gradcheck and agree', () => {
  sd.seed(1);
  const logits = r([5, 4], 2);
  const y = labels([0, 3, 1, 1, 2]);
  checkGrad((z) => softmaxCrossEntropy(z, y), [logits]);
  checkGrad((z) => sd.losses.crossEntropy(z, y), [logits]);
  checkGrad((z) => sd.losses.crossEntropy(z, y, { labelSmoothing: 0.1 }), [logits]);
  // the gradient is (softmax - onehot) / N for both
  const a = logits.detach().requiresGrad_();
  softmaxCrossEntropy(a, y).backward();
  const b = logits.detach().requiresGrad_();
  sd.losses.crossEntropy(b, y).backward();
  const expected = sd.div(sd.sub(sd.softmax(logits), sd.oneHot(y, 4, { dtype: 'float64' })), 5);
  assertClose(a.grad!, expected, { atol: 1e-12 });
  assertClose(b.grad!, expected, { atol: 1e-12 });
});

it('a small MLP (linear, tanh, relu, linear, cross-entropy) passes gradcheck in every parameter and the input', () => {
  sd.seed(2);
  const x = r([6, 5]);
  const y = labels([0, 2, 1, 2, 0, 1]);
  const mlp = (input: sd.Tensor, w1: sd.Tensor, b1: sd.Tensor, w2: sd.Tensor, b2: sd.Tensor, w3: sd.Tensor, b3: sd.Tensor) => {
    const h1 = sd.tanh(sd.linear(input, w1, b1));
    const h2 = sd.relu(sd.linear(h1, w2, b2));
    return softmaxCrossEntropy(sd.linear(h2, w3, b3), y);
  };
  const params = [r([8, 5], 0.5), r([8], 0.1), r([7, 8], 0.5), r([7], 0.1), r([3, 7], 0.5), r([3], 0.1)];
  checkGrad(mlp, [x, ...params]);
  // a regression head with an L2 penalty on the weights: mean((x·W1ᵀ+b1)·w - t)² + λ‖W1‖²
  const t = r([6, 1]);
  checkGrad(
    (input, w1, b1, w) =>
      sd.add(sd.mean(sd.square(sd.sub(sd.matmul(sd.sigmoid(sd.linear(input, w1, b1)), w), t))), sd.mul(sd.sum(sd.square(w1)), 1e-2)),
    [x, params[0], params[1], r([8, 1])],
  );
});

it('a small CNN (conv, relu, max pool, conv, average pool, flatten, linear, cross-entropy) passes gradcheck', () => {
  sd.seed(3);
  const x = r([2, 1, 8, 8]);
  const y = labels([1, 0]);
  const cnn = (input: sd.Tensor, k1: sd.Tensor, c1: sd.Tensor, k2: sd.Tensor, c2: sd.Tensor, w: sd.Tensor, b: sd.Tensor) => {
    let h = sd.relu(sd.conv2d(input, k1, c1, { padding: 'same' })); // [2,3,8,8]
    h = sd.maxPool2d(h, 2); // [2,3,4,4]
    h = sd.tanh(sd.conv2d(h, k2, c2, { stride: 1, padding: 1 })); // [2,4,4,4]
    h = sd.avgPool2d(h, 2); // [2,4,2,2]
    return softmaxCrossEntropy(sd.linear(sd.flatten(h, 1), w, b), y);
  };
  checkGrad(cnn, [x, r([3, 1, 3, 3], 0.5), r([3], 0.1), r([4, 3, 3, 3], 0.3), r([4], 0.1), r([2, 16], 0.5), r([2], 0.1)]);
  // the same network on NHWC input: the Keras layout
  const nhwc = (input: sd.Tensor, k1: sd.Tensor, w: sd.Tensor) => {
    const h = sd.maxPool2d(sd.relu(sd.conv2d(input, k1, undefined, { padding: 'same', dataFormat: 'NHWC' })), 2, { dataFormat: 'NHWC' });
    return softmaxCrossEntropy(sd.linear(sd.flatten(sd.globalAvgPool2d(h, { dataFormat: 'NHWC' }), 1), w), y);
  };
  checkGrad(nhwc, [sd.permute(x, 0, 2, 3, 1), r([3, 1, 3, 3], 0.5), r([2, 3], 0.5)]);
});

it('a recurrent cell unrolled over a sequence, with embedding, concat and slicing, passes gradcheck', () => {
  sd.seed(4);
  const tokens = labels([3, 1, 4, 1, 2]);
  const rnn = (table: sd.Tensor, wx: sd.Tensor, wh: sd.Tensor, b: sd.Tensor) => {
    const xs = sd.embedding(table, tokens); // [5,3]
    let h = sd.zeros([1, 4], 'float64');
    const states: sd.Tensor[] = [];
    for (let i = 0; i < tokens.size; i++) {
      const xi = sd.index(xs, `${i}:${i + 1}`); // [1,3]
      h = sd.tanh(sd.add(sd.add(sd.matmul(xi, wx), sd.matmul(h, wh)), b));
      states.push(h);
    }
    return sd.logSumExp(sd.concat(states, 0));
  };
  checkGrad(rnn, [r([5, 3]), r([3, 4], 0.5), r([4, 4], 0.5), r([4], 0.1)]);
});

it('the same MLP step gives the same gradients through backward() and sd.grad', () => {
  sd.seed(5);
  const x = r([4, 3]);
  const y = labels([1, 0, 1, 1]);
  const w1 = r([5, 3]);
  const w2 = r([2, 5]);
  const loss = (a: sd.Tensor, b: sd.Tensor) => softmaxCrossEntropy(sd.linear(sd.relu(sd.linear(x, a)), b), y);
  const [g1, g2] = sd.grad(loss)(w1, w2);
  const a = w1.detach().requiresGrad_();
  const b = w2.detach().requiresGrad_();
  loss(a, b).backward();
  assertClose(a.grad!, g1, { atol: 1e-12 });
  assertClose(b.grad!, g2, { atol: 1e-12 });
  assert.deepEqual([...g1.shape], [5, 3]);
});
