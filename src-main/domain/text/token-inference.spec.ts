import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import type { SequenceExample } from '../rnn/batching';
import { parseModelConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { predictTokenProbabilities, topClasses } from './token-inference';

beforeAll(async () => {
  await initTfBackend();
});

describe('predictTokenProbabilities', () => {
  it('gives each sentence its own rows in input order, whatever the batch budget', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'tokens', vocabSize: 9, embeddingSize: 4 },
        layers: [{ cell: 'lstm', units: 6, bidirectional: 'concat' }],
        output: { size: 5 },
        seed: 3,
      }),
    );
    const rng = createRng(7);
    const lengths = [5, 0, 1, 9, 3, 3, 12, 2];
    const examples: SequenceExample[] = lengths.map((length) => ({
      inputs: Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * 8)),
      length,
      target: new Int32Array(length),
    }));
    const alone = examples.map((e) => predictTokenProbabilities(model, [e])[0] as Float32Array);
    for (const budget of [1, 10, 24, 1000]) {
      const batched = predictTokenProbabilities(model, examples, budget);
      batched.forEach((rows, i) => {
        expect(rows.length).toBe((lengths[i] as number) * 5);
        const expected = alone[i] as Float32Array;
        rows.forEach((p, j) => expect(p).toBeCloseTo(expected[j] as number, 5));
      });
    }
    const first = predictTokenProbabilities(model, examples)[0] as Float32Array;
    for (let t = 0; t < 5; t++)
      expect(first.subarray(t * 5, (t + 1) * 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });
});

describe('topClasses', () => {
  it('ranks the k best of a row, best first, ties to the lower index', () => {
    const rows = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.2, 0.5, 0.2, 0.1]);
    expect(topClasses(rows, 1, 4, 3)).toEqual([
      { index: 1, probability: Float32Array.of(0.5)[0] },
      { index: 0, probability: Float32Array.of(0.2)[0] },
      { index: 2, probability: Float32Array.of(0.2)[0] },
    ]);
    expect(topClasses(rows, 0, 4, 9).map((r) => r.index)).toEqual([3, 2, 1, 0]);
    expect(topClasses(rows, 0, 4, 0)).toEqual([]);
  });

  it('agrees with a stable sort of the row on random rows full of ties', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const classes = 1 + Math.floor(rng.next() * 9);
      const row = Float32Array.from({ length: classes }, () => Math.floor(rng.next() * 4) / 4);
      const sorted = Array.from(row, (probability, index) => ({ index, probability })).sort(
        (a, b) => b.probability - a.probability,
      );
      for (const k of [1, 2, 3, 5, 12])
        expect(topClasses(row, 0, classes, k)).toEqual(sorted.slice(0, k));
    }
  });
});
