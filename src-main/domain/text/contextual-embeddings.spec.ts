import { describe, expect, it } from 'vitest';
import type { Progress } from '../jobs/progress';
import type { SequenceExample } from '../rnn/batching';
import type { BidirectionalLm } from './contextual-embeddings';
import {
  CONTEXTUAL_SENTENCES_PER_STEP,
  withContextualLayers,
  withContextualLayersInSteps,
} from './contextual-embeddings';

/** A stand-in biLM whose one layer of size 1 is each word's length; it counts its calls. */
function lengthsLm(): BidirectionalLm & { calls: number[] } {
  const calls: number[] = [];
  return {
    dir: 'lengths',
    layers: 1,
    size: 1,
    weightsSha256: '',
    calls,
    layersOf(sentences) {
      calls.push(sentences.length);
      return sentences.map((words) => ({
        tokens: words.length,
        layers: 1,
        size: 1,
        values: Float32Array.from(words, (word) => word.length),
      }));
    },
    dispose() {},
  };
}

const count = CONTEXTUAL_SENTENCES_PER_STEP * 2 + 7;
const sentences = Array.from({ length: count }, (_, i) => ['w'.repeat((i % 5) + 1), 'xy']);
const examples: SequenceExample[] = sentences.map((words, i) => ({
  inputs: new Int32Array(words.length),
  length: words.length,
  target: i,
}));

describe('withContextualLayersInSteps', () => {
  it('gives each example its own layers, as in one call, in steps with progress', async () => {
    const progress: Progress[] = [];
    const lm = lengthsLm();
    const stepped = await withContextualLayersInSteps(lm, examples, sentences, {
      onProgress: (p) => progress.push(p),
      what: 'training set',
    });
    expect(lm.calls).toEqual([CONTEXTUAL_SENTENCES_PER_STEP, CONTEXTUAL_SENTENCES_PER_STEP, 7]);
    const whole = withContextualLayers(lengthsLm(), examples, sentences);
    expect(stepped.map((e) => e.target)).toEqual(examples.map((e) => e.target));
    expect(stepped.map((e) => Array.from(e.contextual ?? []))).toEqual(
      whole.map((e) => Array.from(e.contextual ?? [])),
    );
    expect(Array.from(stepped[3]?.contextual ?? [])).toEqual([4, 2]);
    expect(progress.map((p) => p.fraction)).toEqual([
      CONTEXTUAL_SENTENCES_PER_STEP / count,
      (2 * CONTEXTUAL_SENTENCES_PER_STEP) / count,
      1,
    ]);
    expect(progress.at(-1)?.message).toBe(
      `biLM layers of the training set: ${count} of ${count} sentences`,
    );
  });

  it('stops at the next step once cancelled, and passes examples through without a biLM', async () => {
    const lm = lengthsLm();
    const controller = new AbortController();
    await expect(
      withContextualLayersInSteps(lm, examples, sentences, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
        what: 'training set',
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(lm.calls).toEqual([CONTEXTUAL_SENTENCES_PER_STEP]);
    expect(await withContextualLayersInSteps(null, examples, sentences, { what: 'x' })).toBe(
      examples,
    );
  });
});
