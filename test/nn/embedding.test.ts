import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, moments, parameterCount } from './layer-helpers.js';

const { Embedding } = sd.nn;

const ids = (values: number[][]): sd.Tensor => sd.tensor(values, undefined, 'int32');

describeEachBackend('Embedding', () => {
  it('matches torch.nn.Embedding: rows, weight gradient (accumulated, none for the padding row), printout', () => {
    checkLayerFixture('embedding');
    checkLayerFixture('embedding_padding');
  });

  it('maps int32 indices of any shape I to [...I, embeddingDim]', () => {
    const emb = new Embedding(10, 4);
    assert.deepEqual(emb.call(ids([[1, 2, 3], [4, 5, 6]])).shape, [2, 3, 4]);
    assert.deepEqual(emb.call(sd.tensor([7], undefined, 'int32')).shape, [1, 4]);
    assert.deepEqual(emb.call(sd.scalar(3, 'int32')).shape, [4]);
    assertClose(emb.call(sd.scalar(3, 'int32')), sd.slice(emb.weight, [3, 0], [1, 4]).values);
  });
});

describe('Embedding', () => {
  it('initialises from N(0, 1) with a zero padding row', () => {
    sd.seed(1);
    const emb = new Embedding(1000, 50, { paddingIdx: 2 });
    const m = moments(emb.weight);
    assert.ok(Math.abs(m.mean) < 0.02 && Math.abs(m.std - 1) < 0.02, `mean ${m.mean}, std ${m.std}`);
    assert.deepEqual([...emb.weight.values.slice(100, 150)], new Array(50).fill(0));
    assert.equal(parameterCount(emb), 50000);
    assert.deepEqual(Object.keys(emb.stateDict()), ['weight']);
  });

  it('counts a negative paddingIdx from the end, as PyTorch', () => {
    const emb = new Embedding(10, 3, { paddingIdx: -1 });
    assert.equal(emb.paddingIdx, 9);
    assert.equal(emb.toString(), 'Embedding(10, 3, padding_idx=9)');
    assert.equal(new Embedding(10, 3).toString(), 'Embedding(10, 3)');
    assert.deepEqual(emb.getConfig(), { numEmbeddings: 10, embeddingDim: 3, paddingIdx: 9, dtype: 'float32' });
    assert.equal(new Embedding(emb.getConfig()).toString(), emb.toString());
    assert.equal(new Embedding(5, 2, 0).paddingIdx, 0);
  });

  it('fromPretrained copies a table, frozen unless told otherwise', () => {
    const table = sd.tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = Embedding.fromPretrained(table);
    assert.equal(frozen.weight.requiresGrad, false);
    assertClose(frozen.call(ids([[2, 0]])), [[[5, 6], [1, 2]]]);
    assert.notEqual(frozen.weight.values, table.values);
    const trainable = Embedding.fromPretrained(table, { freeze: false, paddingIdx: 1 });
    assert.equal(trainable.weight.requiresGrad, true);
    assert.equal(trainable.paddingIdx, 1);
    assertClose(trainable.weight, table, { atol: 0 });
  });

  it('passes a gradient check over the table (repeated indices accumulate)', () => {
    // without paddingIdx: the padding row is deliberately left out of the gradient
    checkModuleGrad(new Embedding(5, 3), [ids([[0, 1, 1], [4, 0, 2]])]);
  });

  it('rejects bad arguments and inputs, naming the layer', () => {
    assertThrows(() => new Embedding(0, 3), sd.ValueError, /^Embedding: numEmbeddings must be a positive integer, got 0$/);
    assertThrows(() => new Embedding(10, -3), sd.ValueError, /embeddingDim must be a positive integer, got -3/);
    assertThrows(() => new Embedding(10, 3, { paddingIdx: 10 }), sd.ValueError, /^Embedding: paddingIdx must be an integer in -10\.\.9 \(numEmbeddings is 10\), got 10$/);
    assertThrows(() => Embedding.fromPretrained(sd.zeros([3])), sd.ShapeError, /fromPretrained: embeddings must be a 2-D Tensor \[V, D\], got shape \[3\]/);
    assertThrows(() => Embedding.fromPretrained(sd.zeros([3, 2], 'int32')), sd.DTypeError, /embeddings must be float32 or float64, got int32/);
    const emb = new Embedding(10, 3);
    assertThrows(() => emb.call(sd.tensor([1.5, 2])), sd.DTypeError, /^Embedding\(10, 3\): input must hold int32 indices, got float32/);
    assertThrows(() => emb.call(ids([[3, 10]])), sd.ValueError, /^Embedding\(10, 3\): embedding: /);
    assertThrows(() => emb.call([1, 2] as never), sd.ValueError, /Embedding\(10, 3\): input must be a Tensor/);
  });
});
