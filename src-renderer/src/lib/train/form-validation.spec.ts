import { describe, expect, it } from 'vitest';
import { formFromConfig, type TrainForm } from './key-settings';
import { SAMPLE_SENTIMENT_CONFIG, SAMPLE_WORDS_CONFIG } from './sample-configs';
import { hasErrors, issueByField, validateForm, type CorpusFacts } from './form-validation';

const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: ['a', 'b'] };
const good: TrainForm = {
  ...formFromConfig(SAMPLE_WORDS_CONFIG),
  trainSplit: 'train',
  testSplit: 'test',
};

function errorsOf(form: Partial<TrainForm>, facts: CorpusFacts | null = corpus): string[] {
  return validateForm({ ...good, ...form }, facts)
    .filter((i) => i.severity === 'error')
    .map((i) => i.field);
}

describe('validateForm', () => {
  it('accepts a sensible form', () => {
    expect(validateForm(good, corpus)).toEqual([]);
    expect(hasErrors(validateForm(good, corpus))).toBe(false);
  });

  it('names the field and says what is wrong', () => {
    const issues = validateForm({ ...good, units: 0 }, corpus);
    expect(issues).toEqual([
      {
        field: 'units',
        severity: 'error',
        message: 'Units must be a whole number from 1 to 2048.',
      },
    ]);
  });

  it('checks names, splits and speakers against the corpus', () => {
    expect(errorsOf({ name: '' })).toEqual(['name']);
    expect(errorsOf({ name: 'a/b' })).toEqual(['name']);
    expect(errorsOf({ name: '.hidden' })).toEqual(['name']);
    expect(errorsOf({ trainSplit: 'nope' })).toEqual(['trainSplit']);
    expect(errorsOf({ devSplit: 'valid' })).toEqual(['devSplit']);
    expect(errorsOf({ heldOutSpeaker: 'z' })).toEqual(['heldOutSpeaker']);
    expect(errorsOf({ corpus: '' })).toEqual(['corpus']);
    // Unknown corpus facts (still loading): only the form's own checks.
    expect(errorsOf({ trainSplit: 'nope' }, null)).toEqual([]);
  });

  it('refuses testing on the training split unless a speaker is held out', () => {
    expect(errorsOf({ testSplit: 'train' })).toEqual(['testSplit']);
    expect(errorsOf({ testSplit: 'train', heldOutSpeaker: 'a' })).toEqual([]);
  });

  it('refuses truncated BPTT for words and checks the window for phones', () => {
    expect(errorsOf({ bptt: 'truncated' })).toEqual(['bptt']);
    expect(errorsOf({ task: 'phones', bptt: 'truncated', bpttWindow: 50 })).toEqual([]);
    expect(errorsOf({ task: 'phones', bptt: 'truncated', bpttWindow: 0 })).toEqual(['bpttWindow']);
    expect(errorsOf({ task: 'phones', bptt: 'truncated', bpttWindow: 2.5 })).toEqual([
      'bpttWindow',
    ]);
  });

  it('allows peepholes and projections only where the engine has a cell for them', () => {
    expect(errorsOf({ cell: 'lstm', peepholes: true })).toEqual([]);
    expect(errorsOf({ cell: 'gru', peepholes: true })).toEqual(['peepholes']);
    expect(errorsOf({ cell: 'rnn', projection: 8 })).toEqual(['projection']);
    expect(errorsOf({ cell: 'lstm', projection: 8, peepholes: true })).toEqual(['peepholes']);
  });

  it('checks numbers: empty inputs (NaN), fractions and ranges', () => {
    expect(errorsOf({ epochs: NaN })).toEqual(['epochs']);
    expect(errorsOf({ batchSize: 1.5 })).toEqual(['batchSize']);
    expect(errorsOf({ learningRate: 0 })).toEqual(['learningRate']);
    expect(errorsOf({ dropout: 0.99 })).toEqual(['dropout']);
    expect(errorsOf({ clipNorm: -1 })).toEqual(['clipNorm']);
    expect(errorsOf({ averageDecay: 1 })).toEqual(['averageDecay']);
    expect(errorsOf({ averageDecay: -0.5 })).toEqual(['averageDecay']);
    expect(errorsOf({ averageDecay: 0.999 })).toEqual([]);
    expect(errorsOf({ seed: 0.5 })).toEqual(['seed']);
    expect(errorsOf({ featureKind: 'mfcc', melBands: 20, numCeps: 21 })).toEqual(['numCeps']);
    // The spectrogram has no mel bands: their value does not matter.
    expect(errorsOf({ featureKind: 'spectrogram', melBands: NaN })).toEqual([]);
  });

  it('checks the learning-rate schedule only when there is one', () => {
    expect(errorsOf({ schedule: 'constant', scheduleFactor: 0, scheduleEpochs: 0 })).toEqual([]);
    expect(errorsOf({ schedule: 'exponential', scheduleFactor: 0 })).toEqual(['scheduleFactor']);
    expect(errorsOf({ schedule: 'exponential', scheduleEpochs: 0 })).toEqual([]);
    expect(errorsOf({ schedule: 'step', scheduleEpochs: 0 })).toEqual(['scheduleEpochs']);
    expect(errorsOf({ schedule: 'multistep', scheduleMilestones: '3, 5' })).toEqual([]);
    for (const scheduleMilestones of ['', '5, 3', '3, x', '0', '2.5'])
      expect(errorsOf({ schedule: 'multistep', scheduleMilestones })).toEqual([
        'scheduleMilestones',
      ]);
    expect(errorsOf({ schedule: 'step', scheduleMilestones: 'x' })).toEqual([]);
    expect(
      validateForm(
        { ...good, schedule: 'multistep', scheduleMilestones: `2, ${good.epochs}` },
        corpus,
      ).map((i) => [i.field, i.severity]),
    ).toEqual([['scheduleMilestones', 'warning']]);
    expect(
      validateForm({ ...good, schedule: 'exponential', scheduleFactor: 1.5 }, corpus).map(
        (i) => i.severity,
      ),
    ).toEqual(['warning']);
  });

  it('checks augmentation factor lists: numbers from 0.5 to 2, each once, 1 ignored', () => {
    const issuesOf = (speeds: string, warps = ''): [string, string, string][] =>
      validateForm({ ...good, speeds, warps }, corpus).map((i) => [i.field, i.severity, i.message]);
    expect(issuesOf('')).toEqual([]);
    expect(issuesOf('0.9, 1.1', '0.5,2')).toEqual([]);
    expect(issuesOf('0.9 1.1')).toEqual([]);
    expect(issuesOf('0.9, fast')).toEqual([
      ['speeds', 'error', 'Not a number: "fast". Separate factors with commas, e.g. 0.9, 1.1.'],
    ]);
    expect(issuesOf('', '0.4, 2.5')).toEqual([
      ['warps', 'error', 'Factors must be from 0.5 to 2: "0.4", "2.5" are not.'],
    ]);
    expect(issuesOf('0.9, 1.1, 0.90')).toEqual([
      ['speeds', 'error', '"0.9" is listed twice: each factor once.'],
    ]);
    expect(issuesOf('1, 1.1')).toEqual([
      ['speeds', 'warning', '1 is the original audio, which training always has: it is ignored.'],
    ]);
    expect(hasErrors(validateForm({ ...good, speeds: '1' }, corpus))).toBe(false);
  });

  it('warns without blocking', () => {
    const issues = validateForm({ ...good, task: 'phones', bidirectional: true }, corpus);
    expect(issues.map((i) => [i.field, i.severity])).toEqual([['bidirectional', 'warning']]);
    expect(hasErrors(issues)).toBe(false);
    const noAlignments = validateForm(
      { ...good, task: 'phones' },
      { ...corpus, hasAlignments: false },
    );
    expect(noAlignments.map((i) => i.field)).toEqual(['task']);
  });
});

describe('issueByField', () => {
  it('shows a field its error before its warnings', () => {
    const shown = issueByField([
      { field: 'units', severity: 'warning', message: 'w' },
      { field: 'units', severity: 'error', message: 'e' },
      { field: 'units', severity: 'error', message: 'e2' },
    ]);
    expect(shown.get('units')?.message).toBe('e');
  });
});

describe('validateForm with held-out parts', () => {
  const polarity: CorpusFacts = { splits: ['train'], speakers: [], kind: 'text' };
  const sentiment: TrainForm = {
    ...formFromConfig(SAMPLE_SENTIMENT_CONFIG),
    trainSplit: 'train',
    devSplit: 'held-out-dev',
    testSplit: 'held-out-test',
  };
  const errors = (form: Partial<TrainForm>, facts: CorpusFacts = polarity): string[] =>
    validateForm({ ...sentiment, ...form }, facts)
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.field}: ${i.message}`);

  it('accepts a one-split text corpus tested on its held-out part, with or without dev', () => {
    expect(errors({})).toEqual([]);
    expect(errors({ devSplit: '' })).toEqual([]);
  });

  it("refuses held-out parts beside the corpus's own dev split, or for speech", () => {
    const text: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [], kind: 'text' };
    expect(errors({ devSplit: 'dev' }, text)).toEqual([
      "devSplit: With the held-out test part, dev is the held-out dev part or none: the corpus's dev split would stop the division.",
    ]);
    expect(errors({ testSplit: 'test' }, text)).toEqual([
      "devSplit: A held-out dev part comes with the held-out test part: with the corpus's test split, choose one of its splits (train, dev, test) or none.",
    ]);
    expect(errors({ devSplit: '' }, { ...polarity, kind: 'speech' })).toEqual([
      'testSplit: Held-out parts divide a text corpus item by item; split a speech corpus by speaker instead.',
    ]);
    expect(errors({ testSplit: 'test', devSplit: '' })).toEqual([
      'testSplit: Choose a test split (the corpus has train).',
    ]);
  });
});
