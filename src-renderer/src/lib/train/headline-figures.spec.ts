import { describe, expect, it } from 'vitest';
import {
  headlineAccuracy,
  headlinePhoneErrorRate,
  percentText,
  splitRank,
} from './headline-figures';

const OWN = '/data/corpora/yesno';

function run(metrics: Record<string, unknown>, corpus = 'yesno') {
  return { corpus, metrics };
}

describe('headlineAccuracy', () => {
  it("names the split of the run's own test evaluation", () => {
    const item = run({
      evaluations: {
        dev: { corpus: OWN, split: 'dev', accuracy: 0.5 },
        test: { corpus: OWN, split: 'test', accuracy: 0.976 },
      },
    });
    expect(headlineAccuracy(item)).toEqual({ value: 0.976, source: 'test' });
  });

  it('falls back to dev, and never headlines an evaluation on the training split', () => {
    const item = run({
      evaluations: {
        train: { corpus: OWN, split: 'train', accuracy: 1 },
        dev: { corpus: OWN, split: 'dev', accuracy: 0.8 },
      },
    });
    expect(headlineAccuracy(item)).toEqual({ value: 0.8, source: 'dev' });
    expect(headlineAccuracy(run({ evaluations: { train: { accuracy: 1 } } }))).toBeNull();
  });

  it('prefers the own corpus and names another corpus when that is all there is', () => {
    const other = { corpus: '/data/corpora/fsdd', split: 'test', accuracy: 0.41 };
    expect(
      headlineAccuracy(
        run({ evaluations: { test: other, dev: { corpus: OWN, split: 'dev', accuracy: 0.9 } } }),
      ),
    ).toEqual({ value: 0.9, source: 'dev' });
    expect(headlineAccuracy(run({ evaluations: { test: other } }))).toEqual({
      value: 0.41,
      source: 'test of fsdd',
    });
    // A run whose config names its corpus by path is compared by the folder's name.
    expect(headlineAccuracy(run({ evaluations: { test: other } }, '/elsewhere/fsdd/'))).toEqual({
      value: 0.41,
      source: 'test',
    });
  });

  it('reads an evaluation on another corpus kept under its own key', () => {
    const item = run({
      evaluations: {
        'fsdd/test': { corpus: '/data/corpora/fsdd', split: 'test', accuracy: 0.41 },
      },
    });
    expect(headlineAccuracy(item)).toEqual({ value: 0.41, source: 'test of fsdd' });
    const both = run({
      evaluations: {
        'fsdd/test': { corpus: '/data/corpora/fsdd', split: 'test', accuracy: 0.41 },
        test: { corpus: OWN, split: 'test', accuracy: 0.95 },
      },
    });
    expect(headlineAccuracy(both)).toEqual({ value: 0.95, source: 'test' });
  });

  it('names the one voice of an evaluation that heard one speaker', () => {
    const jackson = {
      corpus: OWN,
      split: 'train+test',
      accuracy: 0.85,
      perSpeaker: [{ group: 'jackson', correct: 17, total: 20, accuracy: 0.85 }],
    };
    expect(headlineAccuracy(run({ evaluations: { 'train+test': jackson } }))).toEqual({
      value: 0.85,
      source: 'jackson in train+test',
    });
    const oneVoiceTest = { ...jackson, split: 'test', accuracy: 0.9 };
    expect(headlineAccuracy(run({ evaluations: { test: oneVoiceTest } }))).toEqual({
      value: 0.9,
      source: 'test, 1 voice',
    });
  });

  it("reads a phones run's frame accuracy, and its PER from the same evaluation", () => {
    const dev = { corpus: OWN, split: 'dev', frameAccuracy: 0.7, phoneErrorRate: { rate: 0.3 } };
    const item = run({
      evaluations: {
        test: { corpus: OWN, split: 'test', frameAccuracy: 0.6, phoneErrorRate: 0.4 },
        dev,
      },
    });
    expect(headlineAccuracy(item)).toEqual({ value: 0.6, source: 'test' });
    expect(headlinePhoneErrorRate(item)).toEqual({ value: 0.4, source: 'test' });
    expect(headlinePhoneErrorRate(run({ evaluations: { dev } }))).toEqual({
      value: 0.3,
      source: 'dev',
    });
  });

  it("uses training's best epoch only when it was chosen on a dev set", () => {
    expect(
      headlineAccuracy(
        run({ training: { bestMetric: 0.7, epochs: 3, final: { devAccuracy: 0.65 } } }),
      ),
    ).toEqual({ value: 0.7, source: 'dev, best epoch' });
    // Without dev the best epoch is the lowest training loss: not an accuracy.
    expect(
      headlineAccuracy(
        run({ training: { bestMetric: 0.12, epochs: 3, final: { devAccuracy: null } } }),
      ),
    ).toBeNull();
    // A run that chose its best epoch by dev loss (a language model): its bestMetric is a loss.
    expect(
      headlineAccuracy(
        run({
          training: { bestMetric: 4.8, monitor: 'loss', epochs: 3, final: { devAccuracy: 0.2 } },
        }),
      ),
    ).toBeNull();
    expect(headlineAccuracy(run({}))).toBeNull();
  });
});

describe('splitRank', () => {
  it('ranks the held-out parts of a one-split corpus like the test and dev splits', () => {
    expect(
      ['held-out-test', 'test', 'held-out-dev', 'dev', 'train', 'held-out-train'].map(splitRank),
    ).toEqual([0, 0, 2, 2, null, null]);
  });

  it("headlines a held-out test part's accuracy before the whole training split's", () => {
    const item = run({
      evaluations: {
        train: { corpus: OWN, split: 'train', accuracy: 0.99 },
        'held-out-test': { corpus: OWN, split: 'held-out-test', accuracy: 0.77 },
      },
    });
    expect(headlineAccuracy(item)).toEqual({ value: 0.77, source: 'held-out-test' });
  });
});

describe('percentText', () => {
  it('shows one decimal', () => {
    expect(percentText(0.9756)).toBe('97.6%');
    expect(percentText(1)).toBe('100.0%');
  });
});
