import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { loadRnnNative } from '../../native/rnn-native';
import type { PackedLstmDirection } from '../../native/rnn-native';
import type { SequenceExample } from '../rnn/batching';
import { nativeCellOf } from '../rnn/kernels/native-sequence';
import { parseModelConfig } from '../rnn/model-config';
import type { LayerConfig, ModelConfigInput } from '../rnn/model-config';
import { cellSpecOf, directionsOf } from '../rnn/model-params';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { withKernel } from '../rnn/testing/with-kernel';
import {
  NativeWordTransducer,
  distinctWords,
  nativeWordTransducerRefusal,
} from './native-word-transducer';
import { runPackedStack, runPaddedStack } from './native-word-stacks';
import type { StackDirection, StackLayer, StackOutputsWithStates } from './native-word-stacks';
import { predictTokenProbabilities } from './token-inference';
import type { EncodedWords } from './word-encoder';

beforeAll(async () => {
  await initTfBackend();
});

const addon = loadRnnNative().addon;

const VOCAB = 23;
const CHAR_VOCAB = 11;
const POSITIONS = 6;
const CASES = 7;
const CLASSES = 5;

/** A transducer over words with chars and cases, `layers` as given, every weight random. */
function randomModel(layers: ModelConfigInput['layers'], residual = false): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: {
        kind: 'tokens',
        vocabSize: VOCAB,
        embeddingSize: 6,
        chars: { vocabSize: CHAR_VOCAB, embeddingSize: 4, filters: 5, width: 3 },
        cases: { count: CASES, embeddingSize: 3 },
      },
      layers,
      residual,
      output: { size: CLASSES },
      seed: 5,
    }),
  );
  // Biases and peepholes start at constants: randomise everything so that each part counts.
  const rng = createRng(11);
  for (const [name, variable] of model.params) {
    const size = variable.shape.reduce((a, b) => a * b, 1);
    model.setParam(
      name,
      Float32Array.from({ length: size }, () => 0.8 * (2 * rng.next() - 1)),
    );
  }
  return model;
}

/** `count` distinct random words: ids, chars (0-padded, at least one), case classes. */
function randomWords(count: number, seed: number): EncodedWords {
  const rng = createRng(seed);
  const chars = new Int32Array(count * POSITIONS);
  for (let w = 0; w < count; w++) {
    const length = 1 + Math.floor(rng.next() * POSITIONS);
    for (let p = 0; p < length; p++)
      chars[w * POSITIONS + p] = 1 + Math.floor(rng.next() * (CHAR_VOCAB - 1));
  }
  return {
    inputs: Int32Array.from({ length: count }, () => Math.floor(rng.next() * VOCAB)),
    chars,
    charsPerToken: POSITIONS,
    cases: Int32Array.from({ length: count }, () => Math.floor(rng.next() * CASES)),
  };
}

/** A sentence of the distinct words as the TF.js path reads it: each word's own encoding. */
function exampleOf(sentence: Int32Array, words: EncodedWords): SequenceExample {
  const chars = words.chars as Int32Array;
  const out = new Int32Array(sentence.length * POSITIONS);
  sentence.forEach((w, t) =>
    out.set(chars.subarray(w * POSITIONS, (w + 1) * POSITIONS), t * POSITIONS),
  );
  return {
    inputs: Int32Array.from(sentence, (w) => (words.inputs as Int32Array)[w] as number),
    chars: out,
    charsPerToken: POSITIONS,
    cases: Int32Array.from(sentence, (w) => (words.cases as Int32Array)[w] as number),
    length: sentence.length,
    target: new Int32Array(sentence.length),
  };
}

const LENGTHS = [7, 1, 0, 12, 3, 3, 9, 2, 5, 17, 4];

function randomSentences(wordCount: number, seed: number): Int32Array[] {
  const rng = createRng(seed);
  return LENGTHS.map((length) =>
    Int32Array.from({ length }, () => Math.floor(rng.next() * wordCount)),
  );
}

/** The largest difference between the native rows and the TF.js path's, sentence by sentence. */
function largestDifference(model: RnnModel, budget: number, kernel: 'native' | 'tfjs'): number {
  const words = randomWords(13, 3);
  const sentences = randomSentences(13, 4);
  const native = new NativeWordTransducer(addon!, model);
  const got = native.tokenProbabilities(sentences, native.wordVectors(words, 13), budget);
  const expected = withKernel(kernel, () =>
    predictTokenProbabilities(
      model,
      sentences.map((sentence) => exampleOf(sentence, words)),
      budget,
    ),
  );
  let largest = 0;
  expected.forEach((rows, s) => {
    expect(rows.length).toBe((LENGTHS[s] as number) * CLASSES);
    const offset = (got.offsets[s] as number) * CLASSES;
    rows.forEach((p, k) => {
      largest = Math.max(largest, Math.abs(p - (got.values[offset + k] as number)));
    });
  });
  expect(got.values.length).toBe(LENGTHS.reduce((a, b) => a + b, 0) * CLASSES);
  return largest;
}

describe.skipIf(!addon)('NativeWordTransducer (a tagger on the native addon)', () => {
  const cases: Array<[string, ModelConfigInput['layers'], boolean]> = [
    [
      '2 x BiLSTM concat (the packed LSTM kernel)',
      [
        { cell: 'lstm', units: 8, bidirectional: 'concat' },
        { cell: 'lstm', units: 8, bidirectional: 'concat' },
      ],
      false,
    ],
    [
      'peephole LSTMs, one way then bidirectional, residual (packed)',
      [
        { cell: 'peephole', units: 6 },
        { cell: 'peephole', units: 3, bidirectional: 'concat' },
        { cell: 'lstm', units: 6 },
      ],
      true,
    ],
    [
      'GRU summed both ways, then an LSTMP (the padded sequence kernels)',
      [
        { cell: 'gru', units: 7, bidirectional: 'sum' },
        { cell: 'lstmp', units: 8, projection: 4, bidirectional: 'concat' },
      ],
      false,
    ],
    ['an Elman layer', [{ cell: 'rnn', units: 5, bidirectional: 'concat' }], false],
  ];
  it('has the packed LSTM kernel (else the LSTM cases below test the padded path twice)', () => {
    expect(typeof addon?.lstmPackedForward).toBe('function');
  });

  for (const [name, layers, residual] of cases) {
    it(`gives the TF.js path's probabilities to 1e-5: ${name}`, () => {
      const model = randomModel(layers, residual);
      const parallel = addon!.info().parallel;
      try {
        // One kernel thread, and two (the packed kernel then runs the directions side by side).
        for (const threads of [1, 2]) {
          addon!.setParallel(threads);
          for (const budget of [1, 20, 1000])
            for (const kernel of ['native', 'tfjs'] as const)
              expect(largestDifference(model, budget, kernel)).toBeLessThan(1e-5);
        }
      } finally {
        addon!.setParallel(parallel);
        model.dispose();
      }
    });
  }

  it('has lstmPackedForward refuse rows outside its arrays and unsorted lengths', () => {
    const n = 2;
    const direction = (rowIndex: Int32Array): PackedLstmDirection => [
      new Float32Array(3 * 4 * n),
      rowIndex,
      null,
      new Float32Array(n * 4 * n),
      new Float32Array(4 * n),
      null,
      new Float32Array(4 * n),
      Int32Array.of(0, 1, 2, 3),
      0,
    ];
    const run = (lengths: Int32Array, rowIndex: Int32Array): void =>
      addon!.lstmPackedForward!([2, 2, n, n], lengths, [direction(rowIndex)]);
    expect(() => run(Int32Array.of(2, 2), Int32Array.of(0, 1, 2, 2))).not.toThrow();
    expect(() => run(Int32Array.of(2, 2), Int32Array.of(0, 1, 2, 3))).toThrow(/outside rows/);
    expect(() => run(Int32Array.of(1, 2), Int32Array.of(0, 1, 2, 2))).toThrow(/non-increasing/);
  });

  it('follows the model when a weight changes', () => {
    const model = randomModel([{ cell: 'lstm', units: 4, bidirectional: 'concat' }]);
    const native = new NativeWordTransducer(addon!, model);
    const words = randomWords(5, 8);
    const sentences = [Int32Array.of(0, 1, 2, 3, 4)];
    const before = native.tokenProbabilities(sentences, native.wordVectors(words, 5)).values;
    model.setParam(
      'output/bias',
      Float32Array.from({ length: CLASSES }, (_, c) => 3 * c),
    );
    const after = native.tokenProbabilities(sentences, native.wordVectors(words, 5)).values;
    expect(Math.abs((after[4] as number) - (before[4] as number))).toBeGreaterThan(0.01);
    expect(largestDifference(model, 1000, 'tfjs')).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('nativeWordTransducerRefusal', () => {
  const config = (extra: Record<string, unknown>): ReturnType<typeof parseModelConfig> =>
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'tokens', vocabSize: 9, embeddingSize: 4 },
      layers: [{ cell: 'lstm', units: 4 }],
      output: { size: 3 },
      ...extra,
    });

  it('accepts a word transducer and refuses what it does not compute', () => {
    expect(nativeWordTransducerRefusal(config({}))).toBeNull();
    expect(nativeWordTransducerRefusal(config({ pattern: 'encoder' }))).toMatch(/not a transducer/);
    expect(nativeWordTransducerRefusal(config({ input: { kind: 'features', size: 3 } }))).toMatch(
      /features/,
    );
    expect(
      nativeWordTransducerRefusal(
        config({
          input: {
            kind: 'tokens',
            vocabSize: 9,
            embeddingSize: 4,
            contextual: { layers: 2, size: 4 },
          },
        }),
      ),
    ).toMatch(/contextual/);
    expect(
      nativeWordTransducerRefusal(config({ output: { size: 3, activation: 'sigmoid' } })),
    ).toMatch(/softmax/);
  });
});

describe('distinctWords', () => {
  it('lists each word once, in order of first appearance, and indexes the sentences', () => {
    const { words, sentences } = distinctWords([['a', 'b', 'a'], [], ['c', 'b']]);
    expect(words).toEqual(['a', 'b', 'c']);
    expect(sentences.map((s) => Array.from(s))).toEqual([[0, 1, 0], [], [2, 1]]);
  });
});

/** LSTM layers (StackLayer) over `inputSize` inputs, every weight random. */
function randomLstmStack(configs: LayerConfig[], inputSize: number): StackLayer[] {
  const rng = createRng(21);
  const random = (length: number): Float32Array =>
    Float32Array.from({ length }, () => 0.8 * (2 * rng.next() - 1));
  let size = inputSize;
  return configs.map((config): StackLayer => {
    const cell = nativeCellOf(cellSpecOf(config));
    const n = cell.units;
    const layer: StackLayer = {
      config,
      inputSize: size,
      outputSize: n,
      directions: directionsOf(config).map((dir): StackDirection => ({
        cell,
        weights: [random(size * 4 * n), random(n * 4 * n), random(4 * n), random(3 * n)],
        reverse: dir === 'bw',
      })),
    };
    size = config.bidirectional === 'concat' ? 2 * n : n;
    return layer;
  });
}

describe.skipIf(!addon)('runPackedStack final states (lstmPackedForward finalH, finalC)', () => {
  const INPUT = 4;
  const WORDS = 9;
  const stacks: Array<[string, LayerConfig[], boolean]> = [
    ['one forward LSTM', [{ cell: 'lstm', units: 5 }], false],
    [
      '2 x BiLSTM concat',
      [
        { cell: 'lstm', units: 5, bidirectional: 'concat' },
        { cell: 'lstm', units: 5, bidirectional: 'concat' },
      ],
      false,
    ],
    [
      'peephole BiLSTM then a forward LSTM, residual',
      [
        { cell: 'peephole', units: 6, bidirectional: 'concat' },
        { cell: 'peephole', units: 3, bidirectional: 'concat' },
        { cell: 'lstm', units: 6 },
      ],
      true,
    ],
  ];
  // Unequal lengths, longest first, one empty.
  const rng = createRng(3);
  const sentences = [7, 5, 5, 2, 1, 0].map((length) =>
    Int32Array.from({ length }, () => Math.floor(rng.next() * WORDS)),
  );
  const vectors = Float32Array.from({ length: WORDS * INPUT }, () => 2 * rng.next() - 1);
  const memory = (): Parameters<typeof runPackedStack>[4] => {
    const buffers: Float32Array[] = [];
    return {
      wordProjections: new Map(),
      scratch: (slot, length) => (buffers[slot] = new Float32Array(length)),
    };
  };

  for (const [name, configs, residual] of stacks) {
    it(`gives the padded kernel's final h and c and outputs to 1e-5, 1 and 2 threads: ${name}`, () => {
      const layers = randomLstmStack(configs, INPUT);
      const batch = { sentences, vectors, inputSize: INPUT };
      const padded = runPaddedStack(addon!, layers, residual, batch);
      const parallel = addon!.info().parallel;
      try {
        for (const threads of [1, 2]) {
          addon!.setParallel(threads);
          const packed: StackOutputsWithStates = runPackedStack(
            addon!,
            layers,
            residual,
            batch,
            memory(),
            true,
          );
          expect(packed.size).toBe(padded.size);
          let largest = 0;
          const gap = (a: Float32Array, b: Float32Array): void => {
            expect(a.length).toBe(b.length);
            for (let k = 0; k < a.length; k++)
              largest = Math.max(largest, Math.abs((a[k] as number) - (b[k] as number)));
          };
          gap(packed.top, padded.top);
          expect(packed.finalStates.length).toBe(layers.length);
          packed.finalStates.forEach((finals, l) => {
            const reference = padded.finalStates[l]!;
            expect(finals.length).toBe(reference.length);
            finals.forEach((final, d) => {
              gap(final.h, reference[d]!.h);
              gap(final.c!, reference[d]!.c!);
              // Real states (the empty sentence's stays zero), not h = c.
              expect(final.h.some((v) => Math.abs(v) > 1e-2)).toBe(true);
              expect(final.h.subarray(-layers[l]!.outputSize).every((v) => v === 0)).toBe(true);
              expect(final.c!.some((v, k) => Math.abs(v - final.h[k]!) > 1e-2)).toBe(true);
            });
          });
          expect(largest, `${threads} thread(s)`).toBeLessThan(1e-5);
        }
      } finally {
        addon!.setParallel(parallel);
      }
    });
  }

  it('runs without final states as before, and refuses final state arrays of a wrong length', () => {
    const layers = randomLstmStack([{ cell: 'lstm', units: 5, bidirectional: 'concat' }], INPUT);
    const batch = { sentences, vectors, inputSize: INPUT };
    const plain = runPackedStack(addon!, layers, false, batch, memory());
    expect('finalStates' in plain).toBe(false);
    const withStates = runPackedStack(addon!, layers, false, batch, memory(), true);
    expect(Array.from(plain.top)).toEqual(Array.from(withStates.top));
    const n = 2;
    const run = (finalH: Float32Array, finalC: Float32Array): void =>
      addon!.lstmPackedForward!([2, 2, n, n], Int32Array.of(2, 1), [
        [
          new Float32Array(3 * 4 * n),
          Int32Array.of(0, 1, 2, 0),
          null,
          new Float32Array(n * 4 * n),
          new Float32Array(4 * n),
          null,
          new Float32Array(4 * n),
          Int32Array.of(0, 1, 2, 0),
          0,
          finalH,
          finalC,
        ],
      ]);
    expect(() => run(new Float32Array(2 * n), new Float32Array(2 * n))).not.toThrow();
    expect(() => run(new Float32Array(2 * n - 1), new Float32Array(2 * n))).toThrow(/finalH/);
    expect(() => run(new Float32Array(2 * n), new Float32Array(2 * n + 1))).toThrow(/finalC/);
  });
});
