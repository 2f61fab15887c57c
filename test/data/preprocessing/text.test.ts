import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

describe('data.tokenize', () => {
  it('lowercases and strips, splits off or keeps punctuation', () => {
    const text = "Hello, World! Don't  stop.";
    assert.deepEqual(sd.data.tokenize(text), ['hello', 'world', 'dont', 'stop']);
    assert.deepEqual(sd.data.tokenize(text, { punctuation: 'split' }), ['hello', ',', 'world', '!', 'don', "'", 't', 'stop', '.']);
    assert.deepEqual(sd.data.tokenize(text, { punctuation: 'keep', lowercase: false }), ['Hello,', 'World!', "Don't", 'stop.']);
    assert.deepEqual(sd.data.tokenize('Ça va? «Oui»'), ['ça', 'va', 'oui']);
    assertThrows(() => sd.data.tokenize(text, { punctuation: 'drop' as never }), sd.ValueError, /punctuation must be 'strip', 'split' or 'keep'/);
  });
});

describe('data.padSequences', () => {
  const seqs = [[1], [2, 3], [4, 5, 6]];
  it('pads and truncates like Keras pad_sequences (defaults pre)', () => {
    assert.deepEqual(sd.data.padSequences(seqs).array(), [[0, 0, 1], [0, 2, 3], [4, 5, 6]]);
    assert.deepEqual(sd.data.padSequences(seqs, { padding: 'post' }).array(), [[1, 0, 0], [2, 3, 0], [4, 5, 6]]);
    assert.deepEqual(sd.data.padSequences(seqs, { maxLen: 2 }).array(), [[0, 1], [2, 3], [5, 6]]);
    assert.deepEqual(sd.data.padSequences(seqs, { maxLen: 2, truncating: 'post' }).array(), [[0, 1], [2, 3], [4, 5]]);
    assert.deepEqual(sd.data.padSequences(seqs, { maxLen: 4, value: -1, padding: 'post' }).array(), [[1, -1, -1, -1], [2, 3, -1, -1], [4, 5, 6, -1]]);
    assert.equal(sd.data.padSequences(seqs).dtype, 'int32');
  });

  it('rejects bad modes and lengths', () => {
    assertThrows(() => sd.data.padSequences(seqs, { padding: 'left' as never }), sd.ValueError, /padding must be 'pre' or 'post', got 'left'/);
    assertThrows(() => sd.data.padSequences(seqs, { maxLen: -1 }), sd.ValueError, /maxLen must be a non-negative integer, got -1/);
  });
});

describe('data.TextVectorizer', () => {
  const texts = ['The cat sat.', 'the dog sat down', 'The cat ran!'];

  it('builds a vocabulary by frequency with padding and OOV ids, capped by maxTokens', () => {
    const vec = new sd.data.TextVectorizer().adapt(texts);
    assert.deepEqual(vec.vocabulary(), ['', '[UNK]', 'the', 'cat', 'sat', 'dog', 'down', 'ran']);
    const small = new sd.data.TextVectorizer({ maxTokens: 5, oovToken: '<oov>' }).adapt(texts);
    assert.deepEqual(small.vocabulary(), ['', '<oov>', 'the', 'cat', 'sat']);
    assert.deepEqual(small.encode('the dog sat'), [2, 1, 4]);
    const frequent = new sd.data.TextVectorizer({ minFrequency: 2 }).adapt(texts);
    assert.equal(frequent.vocabularySize, 5);
  });

  it('pads and truncates at the end by default, at the start on request', () => {
    const vec = new sd.data.TextVectorizer({ outputSequenceLength: 4 }).adapt(texts);
    assert.deepEqual(vec.transform(['the bird sat', 'the cat sat the cat ran']).array(), [[2, 1, 4, 0], [2, 3, 4, 2]]);
    const pre = new sd.data.TextVectorizer({ outputSequenceLength: 4, padding: 'pre', truncating: 'pre' }).adapt(texts);
    assert.deepEqual(pre.transform(['the bird sat', 'the cat sat the cat ran']).array(), [[0, 2, 1, 4], [4, 2, 3, 7]]);
    const free = new sd.data.TextVectorizer().adapt(texts);
    assert.deepEqual([...free.transform(['cat', 'the dog ran']).shape], [2, 3]);
    assert.deepEqual(vec.decode([2, 3, 4, 0]), ['the', 'cat', 'sat']);
  });

  it('round-trips JSON and rejects bad options and use before adapt', () => {
    const vec = new sd.data.TextVectorizer({ maxTokens: 6 }).adapt(texts);
    const again = sd.data.TextVectorizer.fromJSON(JSON.parse(JSON.stringify(vec)));
    assert.deepEqual(again.encode('the cat'), vec.encode('the cat'));
    assertThrows(() => new sd.data.TextVectorizer().encode('x'), sd.ValueError, /no vocabulary yet; call adapt\(texts\) first/);
    assertThrows(() => new sd.data.TextVectorizer({ maxTokens: 1 }), sd.ValueError, /maxTokens must be an integer ≥ 2/);
    assertThrows(() => vec.decode([99]), sd.ValueError, /id 99 is outside the vocabulary of 6/);
  });
});
