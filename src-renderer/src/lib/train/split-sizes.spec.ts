import { describe, expect, it } from 'vitest';
import { configFromForm, formFromConfig } from './key-settings';
import { SMALL_ROLE_ITEMS } from '@api/experiment-config';
import { roleSizes, SMALL_SPLIT, textRoleSizes, type SplitSpeakerCounts } from './split-sizes';

/** FSDD-like: the default voice split, four voices in train, one each in dev and test. */
const perSplitSpeaker: SplitSpeakerCounts = {
  train: { george: 50, jackson: 50, lucas: 50, nicolas: 50 },
  dev: { theo: 50 },
  test: { yweweler: 20 },
};

/** A small words config, as a preset or a past run gives the form. */
const WORDS_CONFIG = {
  name: 'fsdd-words',
  task: 'words',
  corpus: 'fsdd',
  data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
  features: { kind: 'mfcc', cmvn: 'utterance' },
  model: { layers: [{ cell: 'lstm', units: 8 }], pooling: 'mean' },
  training: { epochs: 1, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.01 } },
  seed: 1,
};

/** The data selections the Train form writes for these splits and held-out speaker. */
function dataFor(devSplit: string, heldOutSpeaker = ''): unknown {
  const form = {
    ...formFromConfig(WORDS_CONFIG),
    trainSplit: 'train',
    devSplit,
    testSplit: 'test',
    heldOutSpeaker,
  };
  return configFromForm(form).data;
}

describe('roleSizes', () => {
  it('counts the speakers and items of each role the run uses, and warns about small ones', () => {
    const sizes = roleSizes(dataFor('dev'), perSplitSpeaker);
    expect(
      sizes.map(({ role, selection, speakers, items }) => [role, selection, speakers, items]),
    ).toEqual([
      ['train', 'train', 4, 200],
      ['dev', 'dev', 1, 50],
      ['test', 'test', 1, 20],
    ]);
    expect(sizes[0]?.warnings).toEqual([]);
    expect(sizes[1]?.warnings).toEqual([
      'dev has 1 speaker: the best epoch (and early stopping) is chosen by how the model does on that one voice.',
    ]);
    expect(sizes[2]?.warnings).toEqual([
      'test has 1 speaker: its accuracy says how well the model does on that one voice, not on new voices in general.',
      'test has 20 items: one error moves its accuracy by 5.0 points.',
    ]);
  });

  it('leaves out a role the run does not use (no dev set)', () => {
    expect(roleSizes(dataFor(''), perSplitSpeaker).map((s) => s.role)).toEqual(['train', 'test']);
  });

  it('counts the held-out speaker case as the run selects it', () => {
    // Train and dev without jackson; test is jackson's items of every chosen split.
    const sizes = roleSizes(dataFor('dev', 'jackson'), perSplitSpeaker);
    expect(
      sizes.map(({ role, selection, speakers, items }) => [role, selection, speakers, items]),
    ).toEqual([
      ['train', 'train without jackson', 3, 150],
      ['dev', 'dev without jackson', 1, 50],
      ['test', 'jackson in train+dev+test', 1, 50],
    ]);
    expect(sizes[2]?.warnings).toEqual([
      'test has 1 speaker: its accuracy says how well the model does on that one voice, unheard in training; hold out each speaker in turn for a figure on new voices in general.',
    ]);
  });

  it('warns from the thresholds, at the boundary', () => {
    const exactly = (speakers: number, items: number): SplitSpeakerCounts => ({
      train: Object.fromEntries(
        Array.from({ length: speakers }, (_, i) => [`s${i}`, i === 0 ? items - speakers + 1 : 1]),
      ),
      test: { a: 10, b: 10, c: 10 },
    });
    const data = dataFor('');
    const enough = exactly(SMALL_SPLIT.speakers, SMALL_SPLIT.items);
    expect(roleSizes(data, enough).flatMap((s) => s.warnings)).toEqual([]);
    const fewer = exactly(SMALL_SPLIT.speakers - 1, SMALL_SPLIT.items - 1);
    expect(roleSizes(data, fewer)[0]?.warnings).toEqual([
      'train has 2 speakers: the model hears only those 2 voices and may not recognise other voices.',
      'train has 29 items: too few examples for a model to learn much from.',
    ]);
  });

  it('says a role with nothing in it has nothing, once', () => {
    const sizes = roleSizes(dataFor('', 'nobody'), perSplitSpeaker);
    expect(sizes.find((s) => s.role === 'test')).toMatchObject({
      speakers: 0,
      items: 0,
      warnings: ['test has 0 items: the run has nothing to test on.'],
    });
  });

  it('counts nothing for a split the corpus lacks, even one named like an object key', () => {
    const data = { train: { splits: ['constructor'] }, dev: null, test: { splits: ['test'] } };
    expect(roleSizes(data, perSplitSpeaker)[0]).toMatchObject({ speakers: 0, items: 0 });
    expect(roleSizes(null, perSplitSpeaker)).toEqual([]);
  });
});

describe('textRoleSizes', () => {
  const polarity = { train: 9596 };
  const heldOutData = {
    train: { splits: ['train'] },
    dev: { splits: ['held-out-dev'] },
    test: { splits: ['held-out-test'] },
  };

  it("warns below the domain's own small-role size", () => {
    expect(SMALL_SPLIT.items).toBe(SMALL_ROLE_ITEMS);
  });

  it("expects each held-out part's size from its share of the training split", () => {
    const sizes = textRoleSizes(heldOutData, polarity, true);
    expect(
      sizes.map(({ role, selection, speakers, items, approximate }) => [
        role,
        selection,
        speakers,
        items,
        approximate,
      ]),
    ).toEqual([
      ['train', 'held-out train part: 81% of train', null, 7773, true],
      ['dev', 'held-out dev part: 9% of train', null, 864, true],
      ['test', 'held-out test part: 10% of train', null, 960, true],
    ]);
    expect(sizes.flatMap((s) => s.warnings)).toEqual([]);
    const noDev = textRoleSizes({ ...heldOutData, dev: null }, polarity, true);
    expect(noDev.map((s) => [s.role, s.items])).toEqual([
      ['train', 8636],
      ['test', 960],
    ]);
  });

  it('says a small expected part is about that size', () => {
    const sizes = textRoleSizes(heldOutData, { train: 200 }, true);
    expect(sizes.find((s) => s.role === 'dev')).toMatchObject({
      items: 18,
      warnings: [
        'dev has about 18 items: one error moves its accuracy by 5.6 points, and the best epoch is chosen by that accuracy.',
      ],
    });
  });

  it("counts a text corpus's own splits per role, without speakers", () => {
    const data = { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } };
    const sizes = textRoleSizes(data, { train: 240, test: 12 }, false);
    expect(sizes.map((s) => [s.role, s.selection, s.speakers, s.items, s.approximate])).toEqual([
      ['train', 'train', null, 240, false],
      ['test', 'test', null, 12, false],
    ]);
    expect(sizes[1]?.warnings).toEqual([
      'test has 12 items: one error moves its accuracy by 8.3 points.',
    ]);
    expect(textRoleSizes(null, { train: 1 }, true)).toEqual([]);
  });
});
