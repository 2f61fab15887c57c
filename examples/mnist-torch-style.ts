/**
 * The MNIST walkthrough's model trained PyTorch-style: a Module subclass, a DataLoader
 * over a tensor dataset, and the loop written out — forward, loss, `opt.zeroGrad()`,
 * `loss.backward()`, `opt.step()` — with evaluation under `sd.noGrad`. It reaches the
 * accuracy of the Keras-style examples/mnist.ts.
 *
 *   npm run example:mnist-torch-style
 *   npm run example:mnist-torch-style -- --dataset fashion-mnist --epochs 5
 */
import { parseArgs } from 'node:util';
import * as sd from 'shendu';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'mnist' },
    epochs: { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
  },
});
if (args.dataset !== 'mnist' && args.dataset !== 'fashion-mnist') {
  throw new Error(`--dataset must be 'mnist' or 'fashion-mnist', got '${args.dataset}'`);
}
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);
const lr = Number(args.lr);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got '${args.epochs}'`);
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch-size must be a positive integer, got '${args['batch-size']}'`);
if (!(lr > 0)) throw new Error(`--lr must be a positive number, got '${args.lr}'`);
sd.seed(Number(args.seed));

/** Flatten → Linear(784, 128) → ReLU → Dropout(0.2) → Linear(128, 10): logits, as PyTorch models end. */
class MLP extends sd.nn.Module {
  flatten = new sd.nn.Flatten();
  fc1 = new sd.nn.Linear(28 * 28, 128);
  relu = new sd.nn.ReLU();
  dropout = new sd.nn.Dropout(0.2);
  fc2 = new sd.nn.Linear(128, 10);

  forward(x: sd.Tensor): sd.Tensor {
    const hidden = this.dropout.call(this.relu.call(this.fc1.call(this.flatten.call(x))));
    return this.fc2.call(hidden);
  }
}

// Images float32 [N,28,28] in [0,1], labels int32 [N].
const data = args.dataset === 'mnist' ? sd.datasets.mnist() : sd.datasets.fashionMnist();
const trainLoader = new sd.data.DataLoader(sd.data.tensorDataset(data.train.x, data.train.y), { batchSize, shuffle: true });
const testLoader = new sd.data.DataLoader(sd.data.tensorDataset(data.test.x, data.test.y), { batchSize: 1000 });
console.log(`${data.train.x.shape[0]} training and ${data.test.x.shape[0]} test images, ${trainLoader.length} batches of ${batchSize} per epoch`);

const model = new MLP();
console.log(model.toString());
const parameterCount = model.parameters().reduce((n, p) => n + p.size, 0);
console.log(`${parameterCount.toLocaleString('en-US')} parameters`);
const criterion = new sd.nn.CrossEntropyLoss();
const opt = new sd.optim.Adam(model.parameters(), { lr });

/** Correct predictions in a batch of logits. */
function correctIn(logits: sd.Tensor, labels: sd.Tensor): number {
  return sd.sum(sd.eq(sd.argmax(logits, 1), labels)).item();
}

/** Mean loss and accuracy over a loader, in eval mode (dropout off) and without recording gradients. */
function evaluate(loader: typeof testLoader): { loss: number; accuracy: number } {
  model.eval();
  let loss = 0;
  let correct = 0;
  let seen = 0;
  sd.noGrad(() => {
    for (const [x, y] of loader) {
      const logits = model.call(x);
      loss += criterion.call(logits, y).item() * x.shape[0];
      correct += correctIn(logits, y);
      seen += x.shape[0];
    }
  });
  return { loss: loss / seen, accuracy: correct / seen };
}

const started = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  const epochStart = performance.now();
  model.train();
  let loss = 0;
  let correct = 0;
  let seen = 0;
  for (const [x, y] of trainLoader) {
    const logits = model.call(x);
    const batchLoss = criterion.call(logits, y);
    opt.zeroGrad();
    batchLoss.backward();
    opt.step();
    loss += batchLoss.item() * x.shape[0];
    correct += sd.noGrad(() => correctIn(logits, y));
    seen += x.shape[0];
  }
  const seconds = (performance.now() - epochStart) / 1000;
  const test = evaluate(testLoader);
  console.log(
    `epoch ${epoch}/${epochs} - ${seconds.toFixed(1)}s - loss: ${(loss / seen).toFixed(4)} - accuracy: ${(correct / seen).toFixed(4)}` +
      ` - test_loss: ${test.loss.toFixed(4)} - test_accuracy: ${test.accuracy.toFixed(4)}`,
  );
}
const total = (performance.now() - started) / 1000;
const final = evaluate(testLoader);
console.log(`test loss ${final.loss.toFixed(4)}, test accuracy ${final.accuracy.toFixed(4)}`);
console.log(`${epochs} epochs in ${total.toFixed(1)} s (${(total / epochs).toFixed(2)} s per epoch with evaluation, backend ${sd.getBackend()})`);

// The first test image, as in the Keras walkthrough.
model.eval();
const first = sd.noGrad(() => sd.argmax(model.call(sd.slice(data.test.x, [0, 0, 0], [1, -1, -1])), 1).values[0]);
const names: readonly string[] = args.dataset === 'mnist' ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : sd.datasets.FASHION_MNIST_CLASSES;
console.log(`predicted ${names[first]} for the first test image, which is ${names[data.test.y.values[0]]}`);
