/**
 * Whole experiment configs of each task, as a preset or a past run gives them to the Train form:
 * the form's specs start from these (the form reads only configs its schema accepts).
 */

export const SAMPLE_WORDS_CONFIG = {
  name: 'run',
  task: 'words',
  corpus: 'c',
  data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
  features: { kind: 'mfcc', cmvn: 'utterance' },
  model: { layers: [{ cell: 'lstm', units: 64 }], pooling: 'mean' },
  training: { epochs: 10, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.001 } },
  seed: 1,
};

export const SAMPLE_PHONES_CONFIG = {
  ...SAMPLE_WORDS_CONFIG,
  task: 'phones',
  features: { kind: 'fbank', cmvn: 'utterance' },
  model: { layers: [{ cell: 'lstm', units: 64 }] },
};

/** A tagger's config as the pos preset writes it (words settings left to the schema). */
export const SAMPLE_POS_CONFIG = {
  name: 'tagger',
  task: 'pos',
  corpus: 'ewt',
  data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
  tagSet: 'upos',
  words: {},
  model: {
    layers: [
      { cell: 'lstm', units: 128, bidirectional: 'concat' },
      { cell: 'lstm', units: 128, bidirectional: 'concat' },
    ],
    dropout: 0.33,
  },
  training: {
    epochs: 20,
    batchSize: 32,
    optimizer: { kind: 'adam', learningRate: 0.002 },
    clipNorm: 5,
    bucketing: true,
    earlyStoppingPatience: 4,
  },
  seed: 1,
};

/** A sentence classifier's config as the sentiment preset writes it. */
export const SAMPLE_SENTIMENT_CONFIG = {
  name: 'reviews',
  task: 'sentiment',
  corpus: 'mr',
  data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
  words: { embeddingSize: 100, chars: null, caseFeatures: false, lowercase: true },
  model: {
    layers: [{ cell: 'lstm', units: 128, bidirectional: 'concat' }],
    pooling: 'max',
    dropout: 0.5,
  },
  training: {
    epochs: 15,
    batchSize: 50,
    optimizer: { kind: 'adam', learningRate: 0.001 },
    clipNorm: 5,
    bucketing: true,
    earlyStoppingPatience: 3,
  },
  seed: 1,
};
