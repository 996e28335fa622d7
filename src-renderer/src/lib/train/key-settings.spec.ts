import { describe, expect, it } from 'vitest';
import {
  BASE_CELL_CHOICES,
  BPTT_CHOICES,
  CMVN_CHOICES,
  DEFAULT_CMVN,
  DEFAULT_POOLING,
  DEFAULT_SEED,
  ExperimentConfigSchema,
  FEATURE_KINDS,
  OPTIMIZER_CHOICES,
  parseExperimentConfig,
  POOLING_CHOICES,
  SCHEDULE_CHOICES,
} from '@api/experiment-config';
import {
  configFromForm,
  engineCell,
  FORM_TASKS,
  formEdits,
  formFromConfig,
  requiresTruncatedBptt,
  supportsBidirectional,
  supportsTruncatedBptt,
  truncatedBpttProbe,
  usesPooling,
  type TrainForm,
} from './key-settings';
import { applyChange } from './form-changes';
import { featureDefaults } from './speech-settings';

const digits = {
  name: 'digits-small-lstm',
  task: 'words',
  corpus: 'fsdd',
  data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
  features: { kind: 'mfcc', cmvn: 'utterance', frameShiftMs: 10 },
  model: {
    layers: [{ cell: 'lstm', units: 64, bidirectional: 'concat' }],
    pooling: 'mean',
    dropout: 0.2,
  },
  training: {
    epochs: 15,
    batchSize: 16,
    optimizer: { kind: 'adam', learningRate: 0.003, beta1: 0.8 },
    schedule: { kind: 'exponential', decayPerEpoch: 0.9 },
    clipNorm: 5,
    bucketing: true,
  },
  seed: 1,
  rejectThreshold: 0.4,
};

const phones = {
  name: 'phones-2x256-lstm',
  task: 'phones',
  corpus: 'sentences',
  data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
  features: { kind: 'fbank', useEnergy: true, cmvn: 'utterance' },
  model: {
    layers: [
      { cell: 'lstmp', units: 256, projection: 128 },
      { cell: 'lstmp', units: 256, projection: 128 },
    ],
    dropout: 0.1,
  },
  training: {
    epochs: 20,
    batchSize: 8,
    optimizer: { kind: 'adam', learningRate: 0.001 },
    bptt: { kind: 'truncated', window: 100 },
    clipNorm: 5,
    earlyStoppingPatience: 4,
  },
  seed: 1,
};

describe('formFromConfig', () => {
  it('reads every setting of a word preset, with the feature kind defaults filled in', () => {
    expect(formFromConfig(digits)).toEqual({
      name: 'digits-small-lstm',
      task: 'words',
      corpus: 'fsdd',
      trainSplit: 'train',
      devSplit: '',
      testSplit: 'test',
      heldOutSpeaker: '',
      featureKind: 'mfcc',
      melBands: 23,
      numCeps: 13,
      deltaOrder: 2,
      useEnergy: true,
      cmvn: 'utterance',
      cell: 'lstm',
      layers: 1,
      units: 64,
      projection: 0,
      peepholes: false,
      bidirectional: true,
      dropout: 0.2,
      pooling: 'mean',
      bptt: 'full',
      bpttWindow: 100,
      clipNorm: 5,
      averageDecay: 0,
      optimizer: 'adam',
      learningRate: 0.003,
      schedule: 'exponential',
      scheduleFactor: 0.9,
      scheduleEpochs: 2,
      scheduleMilestones: '8, 12', // half and three quarters through its 15 epochs
      epochs: 15,
      batchSize: 16,
      seed: 1,
      patience: 0,
      speeds: '',
      warps: '',
      // The text forms' settings: the schema's defaults, should the task become a text task.
      tagSet: 'upos',
      wordEmbeddingSize: 100,
      lowercase: false,
      minCount: 1,
      wordDropout: 0.25,
      caseFeatures: true,
      charCnn: true,
      charEmbeddingSize: 30,
      charFilters: 50,
      charWidth: 3,
      pretrainedFile: '',
      freezePretrained: false,
      encoder: 'recurrent',
      cnnWidths: '3, 4, 5',
      cnnFilters: 100,
      contextualEmbeddings: '',
      // The language model's and the encoder-decoder's: their schemas' defaults too.
      lmLevel: 'word',
      lmTokenizer: 'text',
      tiedEmbeddings: false,
      kneserNeyOrder: 5,
      lmDirection: 'forward',
      decoderAttention: 'none',
      sourceEmbeddingSize: 64,
      targetEmbeddingSize: 64,
      beam: 5,
      lengthNormalization: 1,
      scoring: 'translation',
      scheduledSampling: 0,
    });
  });

  it('reads LSTMP, truncated BPTT and early stopping of a phone config', () => {
    expect(formFromConfig(phones)).toMatchObject({
      cell: 'lstm',
      projection: 128,
      peepholes: false,
      layers: 2,
      bptt: 'truncated',
      bpttWindow: 100,
      patience: 4,
      featureKind: 'fbank',
      melBands: 40,
      useEnergy: true,
      devSplit: 'dev',
    });
  });

  it('reads a held-out speaker from the test selection', () => {
    const loso = {
      ...digits,
      data: {
        train: { splits: ['train'], excludeSpeakers: ['jackson'] },
        dev: null,
        test: { splits: ['train', 'test'], speakers: ['jackson'] },
      },
    };
    expect(formFromConfig(loso).heldOutSpeaker).toBe('jackson');
  });
});

describe('configFromForm', () => {
  it('round-trips a preset: only the form keys are rewritten, the rest carried over', () => {
    const config = configFromForm(formFromConfig(digits), digits);
    expect(config).toEqual({
      ...digits,
      features: {
        kind: 'mfcc',
        cmvn: 'utterance',
        frameShiftMs: 10,
        melBands: 23,
        numCeps: 13,
        deltaOrder: 2,
        useEnergy: true,
      },
      training: { ...digits.training, bptt: { kind: 'full' } },
    });
  });

  it('writes edited architecture and training settings', () => {
    const form = {
      ...formFromConfig(digits),
      name: 'tiny',
      cell: 'gru' as const,
      layers: 2,
      units: 8,
      bidirectional: false,
      pooling: 'max' as const,
      optimizer: 'sgd' as const,
      learningRate: 0.1,
      clipNorm: 0,
      averageDecay: 0.999,
      patience: 3,
      epochs: 3,
    };
    const config = configFromForm(form, digits);
    expect(config.name).toBe('tiny');
    expect(config.model).toEqual({
      layers: [
        { cell: 'gru', units: 8 },
        { cell: 'gru', units: 8 },
      ],
      dropout: 0.2,
      pooling: 'max',
    });
    // The Adam betas do not follow the switch to SGD; clipping 0 means none.
    expect(config.training).toEqual({
      epochs: 3,
      batchSize: 16,
      optimizer: { kind: 'sgd', learningRate: 0.1 },
      schedule: { kind: 'exponential', decayPerEpoch: 0.9 },
      bucketing: true,
      bptt: { kind: 'full' },
      averageDecay: 0.999,
      earlyStoppingPatience: 3,
    });
  });

  it('writes each learning-rate schedule, and none for a constant rate', () => {
    const form = formFromConfig(digits);
    const scheduleOf = (patch: Partial<typeof form>): unknown =>
      (configFromForm({ ...form, ...patch }, digits).training as Record<string, unknown>).schedule;
    expect(scheduleOf({ schedule: 'constant' })).toBeUndefined();
    expect(scheduleOf({ schedule: 'step', scheduleFactor: 0.5, scheduleEpochs: 3 })).toEqual({
      kind: 'step',
      everyEpochs: 3,
      factor: 0.5,
    });
    expect(scheduleOf({ schedule: 'plateau', scheduleFactor: 0.3, scheduleEpochs: 2 })).toEqual({
      kind: 'plateau',
      factor: 0.3,
      patience: 2,
    });
    expect(
      scheduleOf({ schedule: 'multistep', scheduleFactor: 0.5, scheduleMilestones: '15, 16 18' }),
    ).toEqual({ kind: 'multistep', milestones: [15, 16, 18], factor: 0.5 });
    const multistep = {
      ...digits,
      training: {
        ...digits.training,
        schedule: { kind: 'multistep', milestones: [4, 6], factor: 0.1 },
      },
    };
    expect(formFromConfig(multistep)).toMatchObject({
      schedule: 'multistep',
      scheduleFactor: 0.1,
      scheduleMilestones: '4, 6',
    });
    const plateau = {
      ...digits,
      training: {
        ...digits.training,
        schedule: { kind: 'plateau', factor: 0.5, patience: 2, minLearningRate: 1e-5 },
      },
    };
    expect(formFromConfig(plateau)).toMatchObject({
      schedule: 'plateau',
      scheduleFactor: 0.5,
      scheduleEpochs: 2,
    });
    expect(
      (configFromForm(formFromConfig(plateau), plateau).training as Record<string, unknown>)
        .schedule,
    ).toEqual(plateau.training.schedule);
  });

  it('maps peepholes and projection to the engine cells', () => {
    expect(engineCell({ cell: 'lstm', peepholes: true, projection: 0 })).toBe('peephole');
    expect(engineCell({ cell: 'lstm', peepholes: false, projection: 32 })).toBe('lstmp');
    expect(engineCell({ cell: 'gru', peepholes: true, projection: 32 })).toBe('gru');
    const config = configFromForm({ ...formFromConfig(phones), units: 64, projection: 16 }, phones);
    expect((config.model as { layers: unknown[] }).layers[0]).toEqual({
      cell: 'lstmp',
      units: 64,
      projection: 16,
    });
  });

  it('writes truncated BPTT only for phone models, and pooling only for word models', () => {
    const phoneConfig = configFromForm({ ...formFromConfig(phones), bpttWindow: 50 }, phones);
    expect(phoneConfig.training).toMatchObject({ bptt: { kind: 'truncated', window: 50 } });
    expect(phoneConfig.model).not.toHaveProperty('pooling');
    const asWords = { ...formFromConfig(phones), task: 'words' as const };
    expect(configFromForm(asWords, phones).training).toMatchObject({ bptt: { kind: 'full' } });
  });

  it('builds a speaker-independent split from the held-out speaker', () => {
    const form = { ...formFromConfig(phones), heldOutSpeaker: 'slt' };
    expect(configFromForm(form, phones).data).toEqual({
      train: { splits: ['train'], excludeSpeakers: ['slt'] },
      dev: { splits: ['dev'], excludeSpeakers: ['slt'] },
      test: { splits: ['train', 'dev', 'test'], speakers: ['slt'] },
    });
  });

  it('maps augmentation both ways: lists of factors, absent when there are none', () => {
    const augmented = { ...phones, augmentation: { speeds: [0.9, 1.1], warps: [0.95] } };
    const form = formFromConfig(augmented);
    expect(form).toMatchObject({ speeds: '0.9, 1.1', warps: '0.95' });
    expect(configFromForm(form, augmented).augmentation).toEqual(augmented.augmentation);
    expect(formFromConfig(phones)).toMatchObject({ speeds: '', warps: '' });
    expect(configFromForm(formFromConfig(phones), phones)).not.toHaveProperty('augmentation');

    const augmentationOf = (speeds: string, warps: string): unknown =>
      configFromForm({ ...form, speeds, warps }, augmented).augmentation;
    // Clearing both lists removes the key the preset had (absent = none).
    expect(augmentationOf('', ' ')).toBeUndefined();
    expect(augmentationOf('1.1 0.9', '')).toEqual({ speeds: [1.1, 0.9], warps: [] });
    // 1 (the original audio), repeats and unusable entries are not written; validation names them.
    expect(augmentationOf('1, 0.9, 0.9, 3, x', '1')).toEqual({ speeds: [0.9], warps: [] });
    expect(augmentationOf('1', '1')).toBeUndefined();
  });

  it('drops the mel and cepstral counts the feature kind does not use', () => {
    const form = { ...formFromConfig(digits), featureKind: 'spectrogram' as const };
    const features = configFromForm(form, digits).features as Record<string, unknown>;
    expect(features).not.toHaveProperty('melBands');
    expect(features).not.toHaveProperty('numCeps');
    expect(features.kind).toBe('spectrogram');
  });
});

describe('the form and the config schema', () => {
  /** Writes the form with one setting changed, checks the schema accepts it, and reads it back. */
  function roundTrip(patch: Partial<TrainForm>, base: Record<string, unknown> = digits): TrainForm {
    const config = configFromForm({ ...formFromConfig(base), ...patch }, base);
    const checked = ExperimentConfigSchema.safeParse(config);
    expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
    return formFromConfig(config);
  }

  it("offers the schema's own choices: every one the form writes is accepted and read back", () => {
    for (const featureKind of FEATURE_KINDS)
      expect(roundTrip({ featureKind, ...featureDefaults(featureKind) }).featureKind).toBe(
        featureKind,
      );
    for (const cmvn of CMVN_CHOICES) expect(roundTrip({ cmvn }).cmvn).toBe(cmvn);
    for (const cell of BASE_CELL_CHOICES) expect(roundTrip({ cell }).cell).toBe(cell);
    for (const pooling of POOLING_CHOICES) expect(roundTrip({ pooling }).pooling).toBe(pooling);
    for (const optimizer of OPTIMIZER_CHOICES)
      expect(roundTrip({ optimizer }).optimizer).toBe(optimizer);
    for (const schedule of SCHEDULE_CHOICES)
      expect(roundTrip({ schedule }).schedule).toBe(schedule);
    for (const bptt of BPTT_CHOICES) expect(roundTrip({ bptt }, phones).bptt).toBe(bptt);
  });

  it('writes a config the schema accepts for every task the form edits', () => {
    for (const task of FORM_TASKS) {
      const bptt = supportsTruncatedBptt(task) ? 'truncated' : 'full';
      expect(roundTrip({ task, bptt }, phones)).toMatchObject({ task, bptt });
      // Choosing the task in the form (a bidirectional, full-BPTT word model before) fits the
      // settings the task's schema rules on.
      const switched = applyChange(formFromConfig(digits), 'task', task);
      expect(roundTrip(switched, digits).task).toBe(task);
    }
  });

  it('edits every task: speech, tagging, sentence classification, language models, seq2seq', () => {
    expect(FORM_TASKS).toEqual(['words', 'phones', 'pos', 'sentiment', 'lm', 'seq2seq']);
    expect(formEdits('pos')).toBe(true);
    expect(formEdits('phones')).toBe(true);
    expect(formEdits('sentiment')).toBe(true);
    expect(formEdits('lm')).toBe(true);
    expect(formEdits('seq2seq')).toBe(true);
    expect(formEdits('summarisation')).toBe(false);
  });

  it('asks the schema which tasks take truncated BPTT only, and which refuse bidirectional layers', () => {
    expect(FORM_TASKS.filter(requiresTruncatedBptt)).toEqual(['lm']);
    expect(FORM_TASKS.filter((task) => !supportsBidirectional(task))).toEqual(['lm']);
    const lm = applyChange({ ...formFromConfig(digits), bptt: 'full' }, 'task', 'lm');
    expect(lm).toMatchObject({ bptt: 'truncated', bidirectional: false });
    // And back: a sentence classifier takes full BPTT only; bidirectional stays as it was.
    expect(applyChange(lm, 'task', 'sentiment')).toMatchObject({ bptt: 'full' });
  });

  it('offers truncated BPTT where the schema takes it and the model labels every step', () => {
    // Transducers may (phones per frame, pos per word); word and sentence models label a whole
    // sequence (words' schema refuses it; the engine refuses any pooled model).
    expect(FORM_TASKS.filter(supportsTruncatedBptt)).toEqual(['phones', 'pos', 'lm']);
    for (const task of FORM_TASKS) {
      // The probe fails only on its BPTT, if at all: with full BPTT every task accepts it but
      // those that take truncated BPTT only (a language model), which accept the probe itself.
      const probe = truncatedBpttProbe(task);
      const full = {
        ...probe,
        training: { ...(probe.training as object), bptt: { kind: 'full' } },
      };
      expect(ExperimentConfigSchema.safeParse(full).success, task).toBe(
        !requiresTruncatedBptt(task),
      );
      if (requiresTruncatedBptt(task))
        expect(ExperimentConfigSchema.safeParse(probe).success, task).toBe(true);
      // And on a real config, not only the probe.
      const truncated = {
        ...phones,
        task,
        training: { ...phones.training, bptt: { kind: 'truncated', window: 20 } },
      };
      const accepted = ExperimentConfigSchema.safeParse(truncated).success;
      if (supportsTruncatedBptt(task)) expect(accepted, task).toBe(true);
      if (!accepted) expect(supportsTruncatedBptt(task), task).toBe(false);
      if (usesPooling(task)) expect(supportsTruncatedBptt(task), task).toBe(false);
    }
  });

  it("fills what a config leaves out with the schema's defaults, and refuses what it refuses", () => {
    const { seed: _seed, ...unseeded } = digits;
    const bare = {
      ...unseeded,
      features: { kind: 'fbank' },
      model: { layers: [{ cell: 'gru', units: 4 }] },
    };
    expect(formFromConfig(bare)).toMatchObject({
      cmvn: DEFAULT_CMVN,
      pooling: DEFAULT_POOLING,
      dropout: 0,
      seed: DEFAULT_SEED,
      ...featureDefaults('fbank'),
    });
    expect(parseExperimentConfig(bare).seed).toBe(DEFAULT_SEED);
    expect(() => formFromConfig({ ...digits, features: { kind: 'mel' } })).toThrow(
      /invalid at features\.kind/,
    );
    expect(() =>
      formFromConfig({ ...digits, training: { ...digits.training, epochs: 0 } }),
    ).toThrow(/invalid at training\.epochs/);
  });
});
