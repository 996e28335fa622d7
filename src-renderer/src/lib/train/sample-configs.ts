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
