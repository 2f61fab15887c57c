import { ValueError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkJSON } from './features.js';

/**
 * Words to integer sequences: `tokenize` (lowercase, punctuation stripped or split off,
 * whitespace split), `TextVectorizer` (a vocabulary by frequency with padding and OOV
 * tokens, as Keras' TextVectorization), and `padSequences` (Keras' pad_sequences).
 */

export type PunctuationMode = 'strip' | 'split' | 'keep';

export interface TokenizeOptions {
  /** Lowercase first; default true. */
  lowercase?: boolean;
  /**
   * 'strip' (default) removes punctuation and symbols, as TextVectorization's
   * lower_and_strip_punctuation ("don't" → "dont"); 'split' makes each mark a token of its
   * own ("don't" → "don", "'", "t"); 'keep' splits on whitespace only.
   */
  punctuation?: PunctuationMode;
}

const PUNCTUATION = /[\p{P}\p{S}]/gu;

/**
 * Splits a text into word tokens.
 *
 * ```ts
 * sd.data.tokenize('Hello, World!');                            // ['hello', 'world']
 * sd.data.tokenize('Hello, World!', { punctuation: 'split' });  // ['hello', ',', 'world', '!']
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  if (typeof text !== 'string') throw new ValueError(`tokenize: expected a string, got ${typeof text}`);
  const mode = options.punctuation ?? 'strip';
  let s = options.lowercase ?? true ? text.toLowerCase() : text;
  if (mode === 'strip') s = s.replace(PUNCTUATION, '');
  else if (mode === 'split') s = s.replace(PUNCTUATION, (m) => ` ${m} `);
  else if (mode !== 'keep') throw new ValueError(`tokenize: punctuation must be 'strip', 'split' or 'keep', got '${String(mode)}'`);
  return s.split(/\s+/u).filter((t) => t.length > 0);
}

export type PadMode = 'pre' | 'post';

export interface PadOptions {
  /** Length of every row; default the longest sequence. */
  maxLen?: number;
  /** Where to add padding: 'pre' (default, as Keras) or 'post'. */
  padding?: PadMode;
  /** Where to cut long sequences: 'pre' (default, keep the end) or 'post' (keep the start). */
  truncating?: PadMode;
  /** The padding id; default 0. */
  value?: number;
}

/**
 * Pads or truncates integer sequences to one length, giving int32 [N, maxLen]
 * (Keras' pad_sequences, with its defaults: padding and truncating at the start).
 *
 * ```ts
 * sd.data.padSequences([[1, 2, 3], [4]], { maxLen: 2 }); // [[2, 3], [0, 4]]
 * ```
 */
export function padSequences(sequences: readonly (readonly number[])[], options: PadOptions = {}): Tensor {
  const { padding = 'pre', truncating = 'pre', value = 0 } = options;
  for (const [name, mode] of [['padding', padding], ['truncating', truncating]] as const) {
    if (mode !== 'pre' && mode !== 'post') throw new ValueError(`padSequences: ${name} must be 'pre' or 'post', got '${String(mode)}'`);
  }
  const maxLen = options.maxLen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxLen) || maxLen < 0) {
    throw new ValueError(`padSequences: maxLen must be a non-negative integer, got ${maxLen}`);
  }
  const out = new Int32Array(sequences.length * maxLen).fill(value);
  sequences.forEach((seq, i) => {
    const kept = seq.length <= maxLen ? seq : truncating === 'pre' ? seq.slice(seq.length - maxLen) : seq.slice(0, maxLen);
    const start = i * maxLen + (padding === 'pre' ? maxLen - kept.length : 0);
    kept.forEach((v, k) => (out[start + k] = v));
  });
  return new Tensor(out, [sequences.length, maxLen], 'int32');
}

export interface TextVectorizerOptions extends TokenizeOptions {
  /** Vocabulary size including the padding and OOV tokens (as Keras' maxTokens); default unlimited. */
  maxTokens?: number;
  /** Drop words seen fewer times than this in adapt(); default 1. */
  minFrequency?: number;
  /** The token of unknown words, id 1; default '[UNK]'. */
  oovToken?: string;
  /** Length of every output row; default: the longest text of the batch. */
  outputSequenceLength?: number;
  /** Padding side; default 'post' (as TextVectorization). */
  padding?: PadMode;
  /** Truncation side; default 'post' (keeps the first words, as TextVectorization). */
  truncating?: PadMode;
}

export interface TextVectorizerJSON {
  kind: 'TextVectorizer';
  options: TextVectorizerOptions;
  vocabulary: string[];
}

/**
 * Maps texts to int32 id sequences with a vocabulary learned by `adapt`: id 0 is padding
 * (''), id 1 the out-of-vocabulary token, then words by decreasing frequency (first seen
 * first on ties), at most maxTokens ids in all (Keras' TextVectorization, output_mode
 * 'int').
 *
 * ```ts
 * const vec = new sd.data.TextVectorizer({ maxTokens: 1000, outputSequenceLength: 8 });
 * vec.adapt(trainTexts);
 * const ids = vec.transform(['the cat sat']); // int32 [1,8], zero-padded at the end
 * ```
 */
export class TextVectorizer {
  readonly options: TextVectorizerOptions;
  private vocab: string[] = [];
  private ids = new Map<string, number>();

  constructor(options: TextVectorizerOptions = {}) {
    const { maxTokens, minFrequency = 1, outputSequenceLength } = options;
    if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 2)) {
      throw new ValueError(`TextVectorizer: maxTokens must be an integer ≥ 2 (padding and OOV count), got ${maxTokens}`);
    }
    if (!Number.isInteger(minFrequency) || minFrequency < 1) {
      throw new ValueError(`TextVectorizer: minFrequency must be a positive integer, got ${minFrequency}`);
    }
    if (outputSequenceLength !== undefined && (!Number.isInteger(outputSequenceLength) || outputSequenceLength < 1)) {
      throw new ValueError(`TextVectorizer: outputSequenceLength must be a positive integer, got ${outputSequenceLength}`);
    }
    this.options = { ...options };
  }

  private words(text: string): string[] {
    return tokenize(text, this.options);
  }

  /** Learns the vocabulary from texts (replacing any earlier one). */
  adapt(texts: Iterable<string>): this {
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of this.words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const oov = this.options.oovToken ?? '[UNK]';
    const minFrequency = this.options.minFrequency ?? 1;
    // Map keeps first-seen order, and sort is stable: ties stay in order of appearance
    const ranked = [...counts].filter(([w, c]) => c >= minFrequency && w !== oov).sort((a, b) => b[1] - a[1]);
    const limit = this.options.maxTokens === undefined ? ranked.length : this.options.maxTokens - 2;
    this.setVocabulary(['', oov, ...ranked.slice(0, limit).map(([w]) => w)]);
    return this;
  }

  private setVocabulary(vocab: string[]): void {
    this.vocab = vocab;
    this.ids = new Map(vocab.map((w, i) => [w, i]));
  }

  /** The tokens by id: '' (padding), the OOV token, then the words. */
  vocabulary(): string[] {
    return [...this.vocab];
  }

  get vocabularySize(): number {
    return this.vocab.length;
  }

  /** The ids of one text, unpadded. */
  encode(text: string): number[] {
    if (this.vocab.length === 0) throw new ValueError(`TextVectorizer: no vocabulary yet; call adapt(texts) first`);
    return this.words(text).map((w) => this.ids.get(w) ?? 1);
  }

  /** The words of ids, padding left out. */
  decode(ids: Iterable<number>): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === 0) continue;
      const w = this.vocab[id];
      if (w === undefined) throw new ValueError(`TextVectorizer.decode: id ${id} is outside the vocabulary of ${this.vocab.length}`);
      out.push(w);
    }
    return out;
  }

  /** int32 [texts, length]: ids padded or truncated to outputSequenceLength (or the longest text). */
  transform(texts: readonly string[]): Tensor {
    const seqs = texts.map((t) => this.encode(t));
    return padSequences(seqs, {
      maxLen: this.options.outputSequenceLength,
      padding: this.options.padding ?? 'post',
      truncating: this.options.truncating ?? 'post',
    });
  }

  toJSON(): TextVectorizerJSON {
    return { kind: 'TextVectorizer', options: this.options, vocabulary: this.vocabulary() };
  }

  static fromJSON(json: TextVectorizerJSON): TextVectorizer {
    const j = checkJSON('TextVectorizer', json) as unknown as TextVectorizerJSON;
    const v = new TextVectorizer(j.options);
    v.setVocabulary([...j.vocabulary]);
    return v;
  }
}
