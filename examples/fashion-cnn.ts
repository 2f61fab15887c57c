/**
 * A two-convolution network on Fashion-MNIST, Keras style: conv 5×5×32 'same' → max-pool
 * 2 → conv 5×5×64 'same' → max-pool 2 → dense 1024 → dropout 0.4 → dense 10 (softmax),
 * on images in NHWC [28,28,1]. Five epochs reach about 0.91–0.92 test accuracy.
 *
 * Needs the 60,000/10,000 Fashion-MNIST IDX files (Debian's `dataset-fashion-mnist`
 * package puts them in /usr/share/datasets/fashion-mnist/; `--data DIR` reads another
 * folder).
 *
 *   npm run example:fashion-cnn
 *   npm run example:fashion-cnn -- --epochs 1 --limit 6000     # a quick look
 *   npm run example:fashion-cnn -- --track                      # log the run for `npx shendu ui`
 */
import { parseArgs } from 'node:util';
import * as sd from 'shendu';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '64' },
    limit: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string' },
    track: { type: 'boolean', default: false },
  },
});
const positiveInt = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${text}'`);
  return n;
};
const epochs = positiveInt('epochs', args.epochs);
const batchSize = positiveInt('batch-size', args['batch-size']);
sd.seed(Number(args.seed));

// Images float32 [N,28,28] in [0,1] → NHWC [N,28,28,1]; labels int32 [N].
const { train, test } = sd.datasets.fashionMnist(args.data);
const limit = args.limit === undefined ? train.x.shape[0] : Math.min(positiveInt('limit', args.limit), train.x.shape[0]);
const xTrain = sd.reshape(sd.slice(train.x, [0, 0, 0], [limit, -1, -1]), [limit, 28, 28, 1]);
const yTrain = sd.slice(train.y, [0], [limit]);
const xTest = sd.reshape(test.x, [test.x.shape[0], 28, 28, 1]);
const yTest = test.y;
console.log(`Fashion-MNIST: ${limit} training and ${xTest.shape[0]} test images, batches of ${batchSize}, backend ${sd.getBackend()}`);

const model = sd.sequential([
  sd.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
  sd.layers.maxPooling2d({ poolSize: 2 }),
  sd.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }),
  sd.layers.maxPooling2d({ poolSize: 2 }),
  sd.layers.flatten(),
  sd.layers.dense({ units: 1024, activation: 'relu' }),
  sd.layers.dropout({ rate: 0.4 }),
  sd.layers.dense({ units: 10, activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const epochSeconds: number[] = [];
let epochStart = 0;
const timer = { onEpochBegin: () => void (epochStart = performance.now()), onEpochEnd: () => void epochSeconds.push((performance.now() - epochStart) / 1000) };
const classNames = sd.datasets.FASHION_MNIST_CLASSES;
await model.fit(xTrain, yTrain, {
  epochs,
  batchSize,
  callbacks: [timer],
  // with --track the test set is the validation data, so the run holds val_accuracy, sample images and the confusion matrix
  ...(args.track ? { validationData: [xTest, yTest], track: { experiment: 'fashion-cnn', classNames } } : {}),
});

const [testLoss, testAccuracy] = model.evaluate(xTest, yTest, { batchSize: 500 }) as sd.Tensor[];
const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
console.log(`test loss ${testLoss.item().toFixed(4)}, test accuracy ${testAccuracy.item().toFixed(4)}`);
console.log(`${epochs} epochs, ${mean.toFixed(1)} s per epoch (${epochSeconds.map((s) => s.toFixed(1)).join(', ')}), ${Math.round(limit / mean)} samples/s`);

// Per class: where the network is right and what it confuses.
const predicted = sd.argmax(model.predict(xTest, { batchSize: 500 }) as sd.Tensor, -1);
const matrix = sd.metrics.confusionMatrix(yTest, predicted, 10).array() as number[][];
for (let c = 0; c < 10; c++) {
  const row = matrix[c];
  const total = row.reduce((a, b) => a + b, 0);
  const [worst] = row.map((n, k) => [n, k]).filter(([, k]) => k !== c).sort((a, b) => b[0] - a[0]);
  console.log(`${classNames[c].padEnd(12)} ${((row[c] / total) * 100).toFixed(1).padStart(5)}% right; most often taken for ${classNames[worst[1]]} (${worst[0]})`);
}
if (args.out) {
  model.save(args.out);
  console.log(`saved to ${args.out}`);
}
