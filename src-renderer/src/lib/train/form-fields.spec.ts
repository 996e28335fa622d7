import { describe, expect, it } from 'vitest';
import {
  FORM_SECTIONS,
  parseFieldInput,
  trainingCopies,
  visibleFields,
  visibleSections,
  withField,
  type FieldContext,
} from './form-fields';
import { formFromConfig } from './key-settings';
import { SAMPLE_POS_CONFIG, SAMPLE_SENTIMENT_CONFIG, SAMPLE_WORDS_CONFIG } from './sample-configs';

const fields = FORM_SECTIONS.flatMap((s) => s.fields);
const form = formFromConfig(SAMPLE_WORDS_CONFIG);
const context: FieldContext = {
  corpora: [],
  tasks: ['words', 'phones'],
  splits: ['train', 'test'],
  speakers: ['s1'],
};

describe('FORM_SECTIONS', () => {
  it('has the sections, every form setting once, and unique test ids', () => {
    expect(FORM_SECTIONS.map((s) => s.title)).toEqual([
      'Data',
      'Features',
      'Language model',
      'Sequence to sequence',
      'Words',
      'Architecture',
      'Training',
    ]);
    expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(form).sort());
    expect(new Set(fields.map((f) => f.testid)).size).toBe(fields.length);
  });

  it('disables what does not apply, with the reason', () => {
    const reason = (key: string, f = form): string | null =>
      fields.find((x) => x.key === key)?.disabledReason?.(f) ?? null;
    expect(reason('bptt')).toMatch(/whole sequences/);
    expect(reason('bptt', { ...form, task: 'lm' })).toMatch(/truncated BPTT only/);
    expect(reason('bptt', { ...form, task: 'seq2seq' })).toMatch(/full BPTT only/);
    expect(reason('bidirectional', { ...form, task: 'lm' })).toMatch(/past only/);
    expect(reason('bidirectional', { ...form, task: 'seq2seq' })).toBeNull();
    expect(reason('bptt', { ...form, task: 'phones' })).toBeNull();
    expect(reason('pooling', { ...form, task: 'phones' })).toMatch(/every frame/);
    expect(reason('peepholes', { ...form, cell: 'gru' })).toMatch(/LSTM/);
    expect(reason('numCeps', { ...form, featureKind: 'fbank' })).toMatch(/MFCC/);
    const window = fields.find((x) => x.key === 'bpttWindow');
    expect(window?.hidden?.({ ...form, task: 'phones', bptt: 'truncated' }, context)).toBe(false);
    expect(window?.hidden?.(form, context)).toBe(true);
  });

  it('offers the corpus splits and speakers', () => {
    const options = (key: string): string[] => {
      const spec = fields.find((x) => x.key === key);
      return spec?.kind === 'select' ? spec.options(context, form).map((o) => o.value) : [];
    };
    expect(options('trainSplit')).toEqual(['train', 'test']);
    expect(options('devSplit')).toEqual(['', 'train', 'test']);
    expect(options('heldOutSpeaker')).toEqual(['', 's1']);
  });
});

describe('the sections and fields of each task form', () => {
  const tagger = formFromConfig(SAMPLE_POS_CONFIG);
  const text: FieldContext = {
    corpora: [],
    tasks: ['pos'],
    splits: ['train', 'dev'],
    speakers: [],
  };
  const shown = (f = tagger, c = text): string[] =>
    visibleSections(f).flatMap((section) => visibleFields(section, f, c).map((x) => x.key));

  it('shows the features for speech tasks and the words for the tagger', () => {
    expect(visibleSections(form).map((s) => s.title)).toEqual([
      'Data',
      'Features',
      'Architecture',
      'Training',
    ]);
    expect(visibleSections(tagger).map((s) => s.title)).toEqual([
      'Data',
      'Words',
      'Architecture',
      'Training',
    ]);
    // Pooling and augmentation are speech settings; a text corpus has no speakers to hold out.
    for (const key of ['pooling', 'speeds', 'warps', 'heldOutSpeaker', 'featureKind'])
      expect(shown()).not.toContain(key);
    expect(shown(form, context)).toEqual(
      expect.arrayContaining(['pooling', 'speeds', 'warps', 'heldOutSpeaker', 'featureKind']),
    );
    expect(shown()).toEqual(
      expect.arrayContaining(['tagSet', 'wordEmbeddingSize', 'units', 'bidirectional', 'epochs']),
    );
  });

  it('shows the CNN sizes with the CNN on and Freeze with a vectors file', () => {
    expect(shown()).toEqual(
      expect.arrayContaining(['charEmbeddingSize', 'charFilters', 'charWidth']),
    );
    expect(shown()).not.toContain('freezePretrained');
    const off = shown({ ...tagger, charCnn: false, pretrainedFile: 'vectors/v.txt' });
    for (const key of ['charEmbeddingSize', 'charFilters', 'charWidth'])
      expect(off).not.toContain(key);
    expect(off).toContain('freezePretrained');
  });

  it("offers the chosen corpus's tasks, by their views' names", () => {
    const task = fields.find((f) => f.key === 'task');
    const labels = (c: FieldContext): string[] =>
      task?.kind === 'select' ? task.options(c, form).map((o) => `${o.value}: ${o.label}`) : [];
    expect(labels(text)).toEqual(['pos: POS tags (per word)']);
    expect(labels(context)).toEqual(['words: Words (isolated)', 'phones: Phones (per frame)']);
  });
});

describe('the augmentation part', () => {
  it('groups the two factor lists under one part whose note counts the copies', () => {
    const speeds = fields.find((f) => f.key === 'speeds');
    const warps = fields.find((f) => f.key === 'warps');
    expect(speeds?.kind).toBe('text');
    expect(speeds?.part).toBeDefined();
    expect(warps?.part).toBe(speeds?.part);
    const training = FORM_SECTIONS.find((s) => s.title === 'Training');
    expect(training?.fields.slice(-2)).toEqual([speeds, warps]);

    expect(trainingCopies(form)).toBe(1);
    expect(trainingCopies({ speeds: '0.9, 1.1', warps: '0.9, 1.1' })).toBe(5);
    // 1 and repeats add nothing.
    expect(trainingCopies({ speeds: '1, 0.9, 0.9', warps: '' })).toBe(2);
    const note = speeds?.part?.note;
    expect(note?.(form)).toMatch(/Each factor adds one perturbed copy of the training set/);
    expect(note?.({ ...form, speeds: '0.9, 1.1' })).toMatch(
      /3× the data, so each epoch takes about 3× as long/,
    );
  });
});

describe('parseFieldInput', () => {
  it('turns number inputs and the delta choice into numbers, empty into NaN', () => {
    const units = fields.find((f) => f.key === 'units')!;
    const deltas = fields.find((f) => f.key === 'deltaOrder')!;
    const name = fields.find((f) => f.key === 'name')!;
    expect(parseFieldInput(units, '32')).toBe(32);
    expect(parseFieldInput(units, '')).toBeNaN();
    expect(parseFieldInput(deltas, '1')).toBe(1);
    expect(parseFieldInput(name, '12')).toBe('12');
    const speeds = fields.find((f) => f.key === 'speeds')!;
    expect(parseFieldInput(speeds, '0.9, 1.1')).toBe('0.9, 1.1');
    expect(withField(form, 'units', 5).units).toBe(5);
  });
});

describe('the held-out parts of a text corpus', () => {
  const sentiment = {
    ...formFromConfig(SAMPLE_SENTIMENT_CONFIG),
    trainSplit: 'train',
    devSplit: 'held-out-dev',
    testSplit: 'held-out-test',
  };
  const polarity: FieldContext = {
    corpora: [],
    tasks: ['sentiment'],
    splits: ['train'],
    speakers: [],
    heldOutParts: true,
  };
  const data = FORM_SECTIONS.find((s) => s.title === 'Data');
  const options = (key: string, c: FieldContext, f = sentiment): [string, string][] => {
    const spec = data?.fields.find((x) => x.key === key);
    return spec?.kind === 'select' ? spec.options(c, f).map((o) => [o.value, o.label]) : [];
  };

  it('are offered as dev and test choices of a text corpus only', () => {
    expect(options('testSplit', polarity)).toEqual([
      ['train', 'train'],
      ['held-out-test', 'held-out test part (81/9/10 by hash)'],
    ]);
    expect(options('testSplit', polarity, { ...sentiment, devSplit: '' })[1]).toEqual([
      'held-out-test',
      'held-out test part (90/10 by hash)',
    ]);
    expect(options('devSplit', polarity).map(([value]) => value)).toEqual([
      '',
      'train',
      'held-out-dev',
    ]);
    expect(options('testSplit', { ...polarity, heldOutParts: false })).toEqual([
      ['train', 'train'],
    ]);
  });

  it('are named, with their rule, in a note under the Data section', () => {
    expect(data?.note?.(sentiment, polarity)).toMatch(
      /^Held-out parts: the items of train are divided by a hash of each item into train, dev and test parts, 81\/9\/10 /,
    );
    expect(data?.note?.(sentiment, { ...polarity, heldOutParts: false })).toBeNull();
    expect(
      data?.note?.(
        { ...sentiment, testSplit: 'test', devSplit: '' },
        { ...polarity, splits: ['train', 'test'] },
      ),
    ).toBeNull();
  });
});
