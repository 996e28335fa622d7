import type { z } from 'zod';
import type {
  PhonesConfigSchema,
  WordsConfigSchema,
} from '../../src-main/domain/experiments/config/speech-config';

/**
 * Tiny speech experiment configs for tests and benchmarks: small enough to train on a
 * synthesised corpus in seconds, not to be good. Tests that need a model to learn something
 * (live word recognition, cancel-and-resume timing) override only what differs, so the config
 * a test trains stays visible in the test.
 */

type Config = z.input<typeof WordsConfigSchema> | z.input<typeof PhonesConfigSchema>;

/** What a test may change: each section is merged over the tiny default, key by key. */
/** Either task's own keys (rejectThreshold, medianWindow) may be set; the schema drops the other's. */
type TaskKeys = Partial<
  Pick<
    Extract<Config, { task: 'words' }>,
    'format' | 'version' | 'seed' | 'augmentation' | 'rejectThreshold'
  >
> &
  Partial<Pick<Extract<Config, { task: 'phones' }>, 'medianWindow'>>;

export interface TinyConfigOverrides extends TaskKeys {
  data?: Partial<Config['data']>;
  features?: Partial<Pick<Config['features'], 'kind' | 'cmvn'>>;
  model?: Partial<Config['model']>;
  training?: Partial<Config['training']>;
  /** Every layer runs both ways (concatenated), with full BPTT: a model that cannot run live. */
  bidirectional?: boolean;
}

/** The sections a task's tiny default sets. */
type TaskDefaults = Pick<Config, 'features' | 'model' | 'training' | 'seed'>;

/** Words: MFCCs, one GRU of 16 units mean-pooled, 8 epochs. */
const WORDS: TaskDefaults = {
  features: { kind: 'mfcc', cmvn: 'utterance' },
  model: { layers: [{ cell: 'gru', units: 16 }], pooling: 'mean' },
  training: { epochs: 8, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.01 } },
  seed: 3,
};

/**
 * Phones: filter banks, one unidirectional LSTM of 16 units (so it can run live), 2 epochs
 * with truncated BPTT over 50 frames.
 */
const PHONES: TaskDefaults = {
  features: { kind: 'fbank', cmvn: 'utterance' },
  model: { layers: [{ cell: 'lstm', units: 16 }] },
  training: {
    epochs: 2,
    batchSize: 2,
    optimizer: { kind: 'adam', learningRate: 0.01 },
    bptt: { kind: 'truncated', window: 50 },
  },
  seed: 1,
};

/** Trains on the corpus's train split and tests on its test split, with no dev set. */
function tinyConfig(
  task: Config['task'],
  name: string,
  corpus: string,
  { data, features, model, training, bidirectional, ...rest }: TinyConfigOverrides,
): Config {
  const defaults = task === 'words' ? WORDS : PHONES;
  const merged: Config = {
    name,
    task,
    corpus,
    seed: defaults.seed,
    ...rest,
    data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] }, ...data },
    features: { ...defaults.features, ...features },
    model: { ...defaults.model, ...model },
    training: { ...defaults.training, ...training },
  };
  if (bidirectional) {
    merged.model.layers = merged.model.layers.map((layer) => ({
      ...layer,
      bidirectional: 'concat',
    }));
    // A backward direction needs the whole sequence: truncated BPTT is refused for it.
    merged.training = { ...merged.training, bptt: { kind: 'full' } };
  }
  return merged;
}

export const tinyWordsConfig = (
  name: string,
  corpus: string,
  overrides: TinyConfigOverrides = {},
): Config => tinyConfig('words', name, corpus, overrides);

export const tinyPhonesConfig = (
  name: string,
  corpus: string,
  overrides: TinyConfigOverrides = {},
): Config => tinyConfig('phones', name, corpus, overrides);
