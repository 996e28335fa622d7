import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch, modelBatchOf } from './batching';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import { loadModel, saveModel } from './model-io';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { wordExample } from './testing/word-examples';
import { evaluate, trainModel } from './train';

let dir: string;
beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-rnn-chars-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ALPHABET = 'abdesABDES';

/**
 * Tag = 2 * (capitalised) + (ends in "s"). Every word has the same (unknown) word id, so only
 * the case embedding and the char CNN (which must see the end of the word) can tell the tags.
 */
function sentences(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  const pick = (s: string): string => s[Math.floor(rng.next() * s.length)] as string;
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 3 + Math.floor(rng.next() * 5) }, () => {
      let word = Array.from({ length: 1 + Math.floor(rng.next() * 6) }, () => pick('abdes')).join(
        '',
      );
      if (rng.next() < 0.5) word = word[0]?.toUpperCase() + word.slice(1);
      return word;
    });
    const tags = words.map(
      (w) => 2 * (w[0] === w[0]?.toUpperCase() ? 1 : 0) + (w.endsWith('s') ? 1 : 0),
    );
    return wordExample(words, tags, { alphabet: ALPHABET, wordId: () => 1, tokenDropout: 0.1 });
  });
}

describe('a tagger with a char CNN and case embeddings', () => {
  it('learns a spelling rule to 100% on train, and saves and loads with identical outputs', async () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: {
          kind: 'tokens',
          vocabSize: 3,
          embeddingSize: 2,
          chars: { vocabSize: ALPHABET.length + 1, embeddingSize: 8, filters: 16, width: 3 },
          cases: { count: 2, embeddingSize: 2 },
        },
        layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }],
        output: { size: 4 },
        seed: 2,
      }),
    );
    const train = sentences(48, 1);
    await trainModel(model, train, null, {
      epochs: 15,
      batchSize: 8,
      optimizer: { kind: 'adam', learningRate: 0.02 },
    });
    expect(evaluate(model, train, 16).accuracy).toBe(1);

    const path = join(dir, 'model.json');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect([...loaded.params.keys()]).toEqual([...model.params.keys()]);
    for (const [name, variable] of model.params)
      expect(Array.from(loaded.param(name).dataSync())).toEqual(Array.from(variable.dataSync()));
    const batch = makeBatch(model.config, sentences(5, 9));
    const logits = (m: RnnModel): number[] =>
      tf.tidy(() =>
        Array.from(m.forward(modelBatchOf(batch), { training: false }).logits.dataSync()),
      );
    expect(logits(loaded)).toEqual(logits(model));
    disposeBatch(batch);
    loaded.dispose();
    model.dispose();
  });
});
