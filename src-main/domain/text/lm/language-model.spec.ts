import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { parseModelConfig } from '../../rnn/model-config';
import { RnnModel } from '../../rnn/rnn-model';
import { UNK_ID } from '../vocabulary';
import { languageModelFrom } from './language-model';
import type { LanguageModel } from './language-model';
import { LmVocabulary } from './lm-vocabulary';

let lm: LanguageModel;

beforeAll(async () => {
  await initTfBackend();
  const vocabulary = LmVocabulary.fromTraining(
    [
      { id: 'train-1', units: ['the', 'dog', 'runs'] },
      { id: 'train-2', units: ['the', 'cat', 'sleeps'] },
    ],
    { minCount: 1, maxVocabulary: 100, lowercase: false },
  );
  // An untrained model: these checks hold for any weights.
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'decoder',
      input: { kind: 'tokens', vocabSize: vocabulary.size, embeddingSize: 4, unknownId: UNK_ID },
      layers: [{ cell: 'lstm', units: 5 }],
      output: { size: vocabulary.size, activation: 'softmax' },
      seed: 3,
    }),
  );
  lm = languageModelFrom('/experiments/tiny', model, vocabulary, {
    level: 'word',
    tokenizer: 'whitespace',
  });
});

describe('a language model read as it is typed', () => {
  it("scores a prefix's units as the whole line is scored, and ranks the next units", () => {
    const reading = lm.readPrefix('the dog zebra', 3);
    const line = lm.scoreLine('the dog zebra');
    expect(reading.units.map((u) => [u.text, u.unknown])).toEqual([
      ['the', false],
      ['dog', false],
      ['zebra', true],
    ]);
    reading.units.forEach((unit, t) => expect(unit.logProb).toBeCloseTo(line.units[t]!.logProb, 5));
    // After the prefix, the line's end of sentence is one of the candidates, with the same probability.
    const end = line.units[3]!;
    const all = lm.readPrefix('the dog zebra', 100).next;
    expect(all).toHaveLength(lm.vocabularySize - 1);
    expect(all.find((u) => u.id === end.id)?.probability).toBeCloseTo(Math.exp(end.logProb), 5);
    expect(all.reduce((sum, u) => sum + u.probability, 0)).toBeCloseTo(1, 4);
    expect(reading.next).toEqual(all.slice(0, 3));
    const probabilities = reading.next.map((u) => u.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
  });

  it('reads an empty text as the start of a sentence', () => {
    const reading = lm.readPrefix('  ', 2);
    expect(reading.units).toEqual([]);
    expect(reading.next).toHaveLength(2);
  });
});

describe('generation one unit at a time', () => {
  it('gives the units generate gives for the same seed, and frees its state when stopped early', () => {
    const options = { prompt: 'the', units: 6, temperature: 1, seed: 9 };
    const whole = lm.generate(options).units;
    const before = tf.memory().numTensors;
    const start = lm.startGeneration(options);
    expect(start.promptUnits).toEqual(['the']);
    const streamed = [...start.units];
    expect(streamed).toEqual(whole);
    expect(tf.memory().numTensors).toBe(before);

    const stopped = lm.startGeneration(options);
    const first = stopped.units.next();
    expect(first.value).toEqual(whole[0]);
    stopped.units.return();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks the settings before any unit is asked for', () => {
    expect(() => lm.startGeneration({ units: 3, temperature: -1 })).toThrow(/temperature/);
    expect(() => lm.startGeneration({ units: 0 })).toThrow(/whole number/);
  });
});
