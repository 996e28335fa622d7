import { describe, expect, it } from 'vitest';
import { formFromConfig } from './key-settings';
import { SAMPLE_PHONES_CONFIG } from './sample-configs';
import { applyChange, fitToCorpus } from './form-changes';

const phones = {
  ...formFromConfig(SAMPLE_PHONES_CONFIG),
  bptt: 'truncated' as const,
  peepholes: true,
  trainSplit: 'train',
  devSplit: 'dev',
  testSplit: 'test',
};

describe('applyChange', () => {
  it('sets the field and carries the change to the settings that depend on it', () => {
    expect(applyChange(phones, 'units', 32).units).toBe(32);
    expect(applyChange(phones, 'task', 'words').bptt).toBe('full');
    expect(applyChange(phones, 'cell', 'gru')).toMatchObject({ peepholes: false, projection: 0 });
    expect(applyChange(phones, 'cell', 'lstm').peepholes).toBe(true);
  });

  it('starts a new feature kind from its defaults', () => {
    expect(applyChange(phones, 'featureKind', 'mfcc')).toMatchObject({
      featureKind: 'mfcc',
      melBands: 23,
      numCeps: 13,
      deltaOrder: 2,
      useEnergy: true,
    });
  });

  it('does not change the form it was given', () => {
    applyChange(phones, 'task', 'words');
    expect(phones.bptt).toBe('truncated');
  });
});

describe('fitToCorpus', () => {
  it('keeps a form that already fits (the same object)', () => {
    const corpus = { splits: ['train', 'dev', 'test'], speakers: ['a'] };
    expect(fitToCorpus(phones, corpus)).toBe(phones);
  });

  it('picks conventional or nearest splits and drops what the corpus lacks', () => {
    const fitted = fitToCorpus(
      { ...phones, heldOutSpeaker: 'gone' },
      { splits: ['a', 'b'], speakers: ['x'] },
    );
    expect(fitted).toMatchObject({ trainSplit: 'a', testSplit: 'b', devSplit: '' });
    expect(fitted.heldOutSpeaker).toBe('');
    expect(fitToCorpus(phones, { splits: ['train', 'valid', 'test'], speakers: [] }).devSplit).toBe(
      'valid',
    );
  });
});

describe('held-out parts in the form', () => {
  it('tests a text corpus without a test split on the held-out part, tuned on its dev part', () => {
    const polarity = { splits: ['train'], speakers: [], kind: 'text' as const };
    expect(fitToCorpus(phones, polarity)).toMatchObject({
      trainSplit: 'train',
      devSplit: 'held-out-dev',
      testSplit: 'held-out-test',
    });
    expect(fitToCorpus({ ...phones, devSplit: '' }, polarity).devSplit).toBe('');
    const fitted = fitToCorpus(phones, polarity);
    expect(fitToCorpus(fitted, polarity)).toBe(fitted);
    // A speech corpus keeps its splits (it is divided by speaker, not item by item).
    expect(fitToCorpus(phones, { splits: ['train'], speakers: [], kind: 'speech' })).toMatchObject({
      testSplit: '',
      devSplit: '',
    });
  });

  it("moves dev with test between the held-out parts and the corpus's splits", () => {
    const parted = { ...phones, devSplit: 'held-out-dev', testSplit: 'held-out-test' };
    expect(applyChange(parted, 'testSplit', 'test').devSplit).toBe('');
    expect(applyChange(phones, 'testSplit', 'held-out-test').devSplit).toBe('held-out-dev');
    expect(applyChange({ ...phones, devSplit: '' }, 'testSplit', 'held-out-test').devSplit).toBe(
      '',
    );
  });
});
