/**
 * First steps with Shendu: tensors, autograd and a hand-written training loop.
 *
 * Classifies points of two interleaved spirals (generated here, so no download) with a
 * two-layer perceptron written from tensor ops alone: forward pass, softmax
 * cross-entropy, backward(), and a plain gradient-descent update under noGrad.
 *
 * Run: npm run demo
 */
import * as sd from 'shendu';

sd.seed(42);

/** Two spirals of `n` points each, in [-1, 1]², with labels 0 and 1 (int32). */
function twoSpirals(n: number): { x: sd.Tensor; y: sd.Tensor } {
  const points: number[] = [];
  const labels: number[] = [];
  for (let cls = 0; cls < 2; cls++) {
    for (let i = 0; i < n; i++) {
      const r = i / n;
      const angle = 3 * r * Math.PI + cls * Math.PI + sd.randn([]).item() * 0.15;
      points.push(r * Math.cos(angle), r * Math.sin(angle));
      labels.push(cls);
    }
  }
  return { x: sd.tensor(points, [2 * n, 2]), y: sd.tensor(new Int32Array(labels)) };
}

const { x, y } = twoSpirals(200);
console.log(`data: x ${x.shape.join('x')} (${x.dtype}), y ${y.shape.join('x')} (${y.dtype})`);
console.log('first three points:', sd.slice(x, [0, 0], [3, 2]).toString());

/** A weight matrix initialised as PyTorch's Linear would: uniform in ±1/√fanIn. */
function weight(out: number, fanIn: number): sd.Tensor {
  return sd.mul(sd.sub(sd.rand([out, fanIn]), 0.5), 2 / Math.sqrt(fanIn)).requiresGrad_();
}

// A 2 → 64 → 64 → 2 network.
const hidden = 64;
const w1 = weight(hidden, 2);
const b1 = sd.zeros([hidden]).requiresGrad_();
const w2 = weight(hidden, hidden);
const b2 = sd.zeros([hidden]).requiresGrad_();
const w3 = weight(2, hidden);
const b3 = sd.zeros([2]).requiresGrad_();
const params = [w1, b1, w2, b2, w3, b3];

function forward(input: sd.Tensor): sd.Tensor {
  const h1 = sd.tanh(sd.linear(input, w1, b1));
  const h2 = sd.tanh(sd.linear(h1, w2, b2));
  return sd.linear(h2, w3, b3);
}

function crossEntropy(logits: sd.Tensor, labels: sd.Tensor): sd.Tensor {
  const logProbs = sd.logSoftmax(logits, -1);
  return sd.neg(sd.mean(sd.sum(sd.mul(sd.oneHot(labels, 2), logProbs), -1)));
}

function accuracy(logits: sd.Tensor, labels: sd.Tensor): number {
  return sd.mean(sd.cast(sd.eq(sd.argmax(logits, -1), labels), 'float32')).item();
}

// Gradient descent with momentum, written out: v ← μv + g; p ← p − lr·v.
const learningRate = 0.1;
const momentum = 0.9;
const velocity = params.map((p) => sd.zerosLike(p));
for (let step = 0; step <= 3000; step++) {
  const loss = crossEntropy(forward(x), y);
  for (const p of params) p.grad = null;
  loss.backward();
  sd.noGrad(() => {
    params.forEach((p, i) => {
      velocity[i] = sd.add(sd.mul(velocity[i], momentum), p.grad!);
      p.values.set(sd.sub(p, sd.mul(velocity[i], learningRate)).values);
    });
  });
  if (step % 500 === 0) {
    const acc = sd.noGrad(() => accuracy(forward(x), y));
    console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%`);
  }
}

const probe = sd.tensor([[0.1, 0.0], [-0.5, 0.3]]);
console.log('probabilities for two new points:');
console.log(sd.noGrad(() => sd.softmax(forward(probe), -1)).toString());
console.log(`backend: ${sd.getBackend()}`);
