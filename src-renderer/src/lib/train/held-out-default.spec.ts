import { describe, expect, it } from 'vitest';
import { DEFAULT_HELD_OUT } from '@api/experiment-config';
import {
  heldOutNote,
  heldOutPartLabel,
  heldOutShares,
  isHeldOutPart,
  sharesText,
  usesHeldOutDefault,
} from './held-out-default';

const polarity = { kind: 'text' as const, splits: ['train'] };
const parts = { trainSplit: 'train', devSplit: 'held-out-dev', testSplit: 'held-out-test' };

describe('heldOutShares', () => {
  it("reads the default rule's shares: test one fold, dev a share of the others", () => {
    const shares = heldOutShares(true);
    expect(shares.test).toBeCloseTo(1 / DEFAULT_HELD_OUT.folds);
    expect(shares.dev).toBeCloseTo((1 - 1 / DEFAULT_HELD_OUT.folds) * DEFAULT_HELD_OUT.devShare);
    expect(shares.train + shares.dev + shares.test).toBeCloseTo(1);
    expect(heldOutShares(false).dev).toBe(0);
    const five = heldOutShares(true, { folds: 5, devShare: 0.25 });
    expect([five.train, five.dev, five.test].map((x) => x.toFixed(3))).toEqual([
      '0.600',
      '0.200',
      '0.200',
    ]);
  });

  it('says the shares as whole percentages, train / dev / test', () => {
    expect(sharesText(true)).toBe('81/9/10');
    expect(sharesText(false)).toBe('90/10');
    expect(heldOutPartLabel('test', true)).toBe('held-out test part (81/9/10 by hash)');
  });
});

describe('usesHeldOutDefault', () => {
  it('applies to a text corpus that has the training split and none of the named dev and test', () => {
    expect(usesHeldOutDefault(parts, polarity)).toBe(true);
    expect(usesHeldOutDefault({ ...parts, devSplit: '' }, polarity)).toBe(true);
    expect(usesHeldOutDefault(parts, { kind: 'speech', splits: ['train'] })).toBe(false);
    expect(usesHeldOutDefault({ ...parts, trainSplit: 'all' }, polarity)).toBe(false);
    expect(usesHeldOutDefault(parts, { kind: 'text', splits: ['train', 'dev'] })).toBe(true);
    expect(
      usesHeldOutDefault({ ...parts, devSplit: 'dev' }, { kind: 'text', splits: ['train', 'dev'] }),
    ).toBe(false);
    expect(usesHeldOutDefault({ ...parts, testSplit: '' }, polarity)).toBe(false);
  });

  it('tells the held-out parts from splits', () => {
    expect(['held-out-dev', 'held-out-test', 'held-out-train', 'test'].map(isHeldOutPart)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('heldOutNote', () => {
  it('names the rule, its fold and seed, and where evaluations are kept', () => {
    expect(heldOutNote(parts, polarity)).toBe(
      'Held-out parts: the items of train are divided by a hash of each item into train, dev and test parts, 81/9/10 (fold 1 of 10, seed 1: every run on this corpus tests on the same items). The run is tested on the held-out test part; its evaluations are kept as held-out-test.',
    );
    expect(heldOutNote({ ...parts, devSplit: '' }, polarity)).toContain(
      'train and test parts, 90/10',
    );
    // A corpus with a test split may still be tested on the held-out part, if chosen.
    expect(heldOutNote(parts, { kind: 'text', splits: ['train', 'test'] })).toBe(
      heldOutNote(parts, polarity),
    );
    expect(
      heldOutNote({ ...parts, testSplit: 'test' }, { kind: 'text', splits: ['train', 'test'] }),
    ).toBeNull();
  });
});
