/**
 * The training workloads on Shendu: the seed MLP and the two-convolution CNN on
 * Fashion-MNIST, Keras-style (`model.fit`, verbose 0) and PyTorch-style (Module,
 * DataLoader, the loop written out), Adam lr 1e-3, batches of 32.
 */
import * as sd from '../src/index.js';
import { trainSamples, type Model, type Repetition, type TrainSpec, type TrainStyle } from './workloads.js';

let cached: { dir: string; x: sd.Tensor; y: sd.Tensor } | undefined;

/** The Fashion-MNIST training images float32 [60000,28,28] and labels int32, read once. */
export function trainingData(dir: string): { x: sd.Tensor; y: sd.Tensor } {
  if (cached?.dir !== dir) cached = { dir, ...sd.datasets.fashionMnist(dir).train };
  return cached;
}

/** The Keras-style model, compiled with adam and sparse categorical cross-entropy. */
export function kerasModel(model: Model): sd.LayersModel {
  const layers =
    model === 'mlp'
      ? [
          sd.layers.flatten({ inputShape: [28, 28] }),
          sd.layers.dense({ units: 128, activation: 'relu' }),
          sd.layers.dropout({ rate: 0.2 }),
          sd.layers.dense({ units: 10, activation: 'softmax' }),
        ]
      : [
          sd.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
          sd.layers.maxPooling2d({ poolSize: 2 }),
          sd.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }),
          sd.layers.maxPooling2d({ poolSize: 2 }),
          sd.layers.flatten(),
          sd.layers.dense({ units: 1024, activation: 'relu' }),
          sd.layers.dropout({ rate: 0.4 }),
          sd.layers.dense({ units: 10, activation: 'softmax' }),
        ];
  const m = sd.sequential(layers);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** The PyTorch-style module: logits, trained with CrossEntropyLoss. NCHW for the CNN. */
function torchStyleModel(model: Model): sd.nn.Module {
  if (model === 'mlp') {
    return new sd.nn.Sequential(new sd.nn.Flatten(), new sd.nn.Linear(784, 128), new sd.nn.ReLU(), new sd.nn.Dropout(0.2), new sd.nn.Linear(128, 10));
  }
  return new sd.nn.Sequential(
    new sd.nn.Conv2d(1, 32, 5, { padding: 'same' }),
    new sd.nn.ReLU(),
    new sd.nn.MaxPool2d(2),
    new sd.nn.Conv2d(32, 64, 5, { padding: 'same' }),
    new sd.nn.ReLU(),
    new sd.nn.MaxPool2d(2),
    new sd.nn.Flatten(),
    new sd.nn.Linear(64 * 7 * 7, 1024),
    new sd.nn.ReLU(),
    new sd.nn.Dropout(0.4),
    new sd.nn.Linear(1024, 10),
  );
}

/** The first n samples, shaped for the model and style (NHWC for fit, NCHW for the loop). */
function samples(model: Model, style: TrainStyle, dir: string, n: number): { x: sd.Tensor; y: sd.Tensor } {
  const data = trainingData(dir);
  let x = n === data.x.shape[0] ? data.x : sd.slice(data.x, [0, 0, 0], [n, -1, -1]);
  const y = n === data.y.shape[0] ? data.y : sd.slice(data.y, [0], [n]);
  if (model === 'cnn') x = sd.reshape(x, style === 'fit' ? [n, 28, 28, 1] : [n, 1, 28, 28]);
  return { x, y };
}

/** Trains `warmupBatches` untimed, then returns the timed run over the row's samples. */
export async function prepareTraining(
  model: Model, style: TrainStyle, spec: TrainSpec, dir: string, slow: boolean,
): Promise<Repetition> {
  const n = trainSamples(spec, slow);
  const { x, y } = samples(model, style, dir, n);
  const warm = samples(model, style, dir, Math.min(n, spec.warmupBatches * spec.batchSize));
  if (style === 'fit') {
    const m = kerasModel(model);
    const fit = (xs: sd.Tensor, ys: sd.Tensor) => m.fit(xs, ys, { epochs: 1, batchSize: spec.batchSize, verbose: 0 });
    await fit(warm.x, warm.y);
    return { call: () => fit(x, y), count: n };
  }
  const m = torchStyleModel(model);
  m.train();
  const criterion = new sd.nn.CrossEntropyLoss();
  const opt = new sd.optim.Adam(m.parameters(), { lr: 1e-3 });
  const epoch = (xs: sd.Tensor, ys: sd.Tensor) => {
    const loader = new sd.data.DataLoader(sd.data.tensorDataset(xs, ys), { batchSize: spec.batchSize, shuffle: true });
    for (const [xb, yb] of loader) {
      const loss = criterion.call(m.call(xb), yb);
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
  };
  epoch(warm.x, warm.y);
  return { call: () => epoch(x, y), count: n };
}

/** `ops` adds of two [4] tensors: the cost of one op from TypeScript to the kernel and back. */
export function prepareOverhead(ops: number): Repetition {
  const a = sd.randn([4]);
  const b = sd.randn([4]);
  return {
    call: () => {
      for (let i = 0; i < ops; i++) sd.add(a, b);
    },
    count: ops,
  };
}
