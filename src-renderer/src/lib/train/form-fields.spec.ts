import { describe, expect, it } from 'vitest';
import { FORM_SECTIONS, parseFieldInput, trainingCopies, withField } from './form-fields';
import { formFromConfig } from './key-settings';
import { SAMPLE_WORDS_CONFIG } from './sample-configs';

const fields = FORM_SECTIONS.flatMap((s) => s.fields);
const form = formFromConfig(SAMPLE_WORDS_CONFIG);

describe('FORM_SECTIONS', () => {
  it('has the four sections, every form setting once, and unique test ids', () => {
    expect(FORM_SECTIONS.map((s) => s.title)).toEqual([
      'Data',
      'Features',
      'Architecture',
      'Training',
    ]);
    expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(form).sort());
    expect(new Set(fields.map((f) => f.testid)).size).toBe(fields.length);
  });

  it('disables what does not apply, with the reason', () => {
    const reason = (key: string, f = form): string | null =>
      fields.find((x) => x.key === key)?.disabledReason?.(f) ?? null;
    expect(reason('bptt')).toMatch(/Word models/);
    expect(reason('bptt', { ...form, task: 'phones' })).toBeNull();
    expect(reason('pooling', { ...form, task: 'phones' })).toMatch(/every frame/);
    expect(reason('peepholes', { ...form, cell: 'gru' })).toMatch(/LSTM/);
    expect(reason('numCeps', { ...form, featureKind: 'fbank' })).toMatch(/MFCC/);
    const window = fields.find((x) => x.key === 'bpttWindow');
    expect(window?.hidden?.({ ...form, task: 'phones', bptt: 'truncated' })).toBe(false);
    expect(window?.hidden?.(form)).toBe(true);
  });

  it('offers the corpus splits and speakers', () => {
    const context = { corpora: [], splits: ['train', 'test'], speakers: ['s1'] };
    const options = (key: string): string[] => {
      const spec = fields.find((x) => x.key === key);
      return spec?.kind === 'select' ? spec.options(context, form).map((o) => o.value) : [];
    };
    expect(options('trainSplit')).toEqual(['train', 'test']);
    expect(options('devSplit')).toEqual(['', 'train', 'test']);
    expect(options('heldOutSpeaker')).toEqual(['', 's1']);
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
