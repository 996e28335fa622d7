import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { WordInputSchema } from '../../experiments/config/text-config';
import { parseModelConfig } from '../../rnn/model-config';
import { RnnModel } from '../../rnn/rnn-model';
import { UNK_ID } from '../vocabulary';
import { WordEncoder } from '../word-encoder';
import { classifierFrom } from './classifier';

beforeAll(async () => {
  await initTfBackend();
});

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A hand-made classifier: one-number word vectors (good 2, every other word and the unknown
 * word 0), a width-1 convolution that passes them through ReLU, max over the sentence (x), and
 * logits (0.5 - x, x) for (negative, positive).
 */
function handMade(): ReturnType<typeof classifierFrom> {
  const input = WordInputSchema.parse({
    embeddingSize: 1,
    chars: null,
    caseFeatures: false,
    wordDropout: 0,
  });
  const encoder = WordEncoder.fromTraining([['good', 'bad', 'film']], input);
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'encoder',
      input: encoder.modelInput(input),
      layers: [],
      convolution: { widths: [1], filters: 1 },
      pooling: 'max',
      output: { size: 2 },
    }),
  );
  const vectors = new Float32Array(encoder.vocabulary.size);
  vectors[encoder.vocabulary.id('good')] = 2;
  expect(vectors[UNK_ID]).toBe(0);
  model.setParam('embedding/embeddings', vectors);
  model.setParam('encoder/conv0/kernel', Float32Array.of(1));
  model.setParam('encoder/conv0/bias', Float32Array.of(0));
  model.setParam('output/kernel', Float32Array.of(-1, 1));
  model.setParam('output/bias', Float32Array.of(0.5, 0));
  return classifierFrom('/experiments/hand-made', model, encoder, ['negative', 'positive']);
}

describe('leave-one-out attributions', () => {
  it("are the predicted label's probability minus its probability with the token unknown", () => {
    const classifier = handMade();
    const result = classifier.classify('good film');
    const withGood = sigmoid(2 - (0.5 - 2)); // x = 2
    const withoutGood = sigmoid(0 - 0.5); // x = 0: "<unk> film"
    expect(result.label).toBe('positive');
    expect(result.probability).toBeCloseTo(withGood, 5);
    const [good, film] = result.tokens;
    expect(good?.attribution).toBeCloseTo(withGood - withoutGood, 5);
    // film's vector is the unknown word's: replacing it changes nothing.
    expect(film?.attribution).toBeCloseTo(0, 6);
    classifier.dispose();
  });

  it('are zero for every token of a sentence no word of which moves the model', () => {
    const classifier = handMade();
    const result = classifier.classify('bad film');
    expect(result.label).toBe('negative');
    expect(result.probability).toBeCloseTo(sigmoid(0.5), 5);
    expect(result.tokens.map((t) => t.attribution)).toEqual([0, 0]);
    expect(result.tokens.map((t) => t.unseen)).toEqual([false, false]);
    expect(classifier.classify('awful film').tokens[0]?.unseen).toBe(true);
    classifier.dispose();
  });
});
