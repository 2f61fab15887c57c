import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('linalg');

function embeddingCase(name: string): (w: sd.Tensor, i: sd.Tensor) => sd.Tensor {
  const args = fixtures.get(name)!.args as sd.EmbeddingOptions;
  return (w, i) => sd.embedding(w, i, args);
}

describeEachBackend('embedding', () => {
  it('matches PyTorch F.embedding for indices of any shape, with repeats accumulating', () => {
    for (const name of ['embedding_2d_indices', 'embedding_1d_indices', 'embedding_scalar_index', 'embedding_empty_indices']) {
      checkFixture(fixtures, name, embeddingCase(name));
    }
  });

  it('gives the padding row no gradient, also when counted from the end', () => {
    checkFixture(fixtures, 'embedding_padding', embeddingCase('embedding_padding'));
    checkFixture(fixtures, 'embedding_padding_negative', embeddingCase('embedding_padding_negative'));
  });

  it('matches F.embedding for indices produced by transpose', () => {
    checkFixture(fixtures, 'embedding_of_transposed_indices', (w, i) => sd.embedding(w, sd.transpose(i)));
  });

  it('accepts a plain array of indices', () => {
    const w = sd.tensor([[1, 2], [3, 4], [5, 6]]);
    assertClose(sd.embedding(w, [2, 0]), [[5, 6], [1, 2]]);
  });

  it('rejects out-of-range indices, bad dtypes, bad shapes and bad paddingIdx', () => {
    const w = sd.zeros([4, 3]);
    assertThrows(
      () => sd.embedding(w, sd.tensor(new Int32Array([0, 4]))),
      sd.ValueError,
      /embedding: indices holds 4 at position 1, out of range for a table of 4 rows \(weight \[4,3\]\) \(valid: 0..3\)/,
    );
    assertThrows(() => sd.embedding(w, sd.tensor(new Int32Array([-1]))), sd.ValueError, /embedding: indices holds -1 at position 0/);
    assertThrows(() => sd.embedding(w, sd.tensor([0.5, 1])), sd.DTypeError, /embedding: indices must be int32 \(indices\), got float32/);
    assertThrows(() => sd.embedding(sd.zeros([4]), [0]), sd.ShapeError, /embedding: weight must be 2-D \[V, D\], got shape \[4\]/);
    assertThrows(() => sd.embedding(sd.zeros([4, 3], 'int32'), [0]), sd.DTypeError, /embedding: weight must be float32 or float64, got int32/);
    assertThrows(() => sd.embedding(w, [0], { paddingIdx: 4 }), sd.ValueError, /embedding: paddingIdx must be an integer in -4..3 .*got 4/);
    assertThrows(() => sd.embedding(w, [0], { paddingIdx: -5 }), sd.ValueError, /paddingIdx must be an integer in -4..3/);
    assertThrows(() => sd.embedding(w, [0], { paddingIdx: 1.5 }), sd.ValueError, /paddingIdx must be an integer/);
  });
});

it('embedding gradients pass gradcheck, with and without a padding row', () => {
  const indices = sd.tensor(new Int32Array([1, 3, 1, 0, 4, 3]), [2, 3]);
  checkGrad((w, i) => sd.embedding(w, i), [sd.randn([5, 3]), indices]);
  // gradcheck compares with finite differences, which do see the padding row's output;
  // so check the padding rule on its own: the row's gradient is exactly zero.
  const w = sd.randn([5, 3]).requiresGrad_();
  sd.sum(sd.embedding(w, indices, { paddingIdx: 3 })).backward();
  assertClose(w.grad!, [[1, 1, 1], [2, 2, 2], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
});

it('embedding output does not alias the table', () => {
  const w = sd.tensor([[1, 2], [3, 4]]);
  const y = sd.embedding(w, [1]);
  y.values[0] = 99;
  assert.equal(w.values[2], 3);
});
