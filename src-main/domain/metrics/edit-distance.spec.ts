import { describe, expect, it } from 'vitest';
import { editDistance, errorRate } from './edit-distance';

describe('editDistance', () => {
  it('scores kitten -> sitting as 2 substitutions and 1 insertion', () => {
    const d = editDistance([...'kitten'], [...'sitting']);
    expect(d).toMatchObject({
      distance: 3,
      substitutions: 2,
      insertions: 1,
      deletions: 0,
      matches: 4,
    });
    expect(d.alignment.map((s) => s.op)).toEqual([
      'substitution',
      'match',
      'match',
      'match',
      'substitution',
      'match',
      'insertion',
    ]);
    expect(d.alignment[6]).toEqual({ op: 'insertion', ref: null, hyp: 'g' });
  });

  it('counts deletions and handles empty sides', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'c'])).toMatchObject({
      distance: 1,
      deletions: 1,
      alignment: [
        { op: 'match', ref: 'a', hyp: 'a' },
        { op: 'deletion', ref: 'b', hyp: null },
        { op: 'match', ref: 'c', hyp: 'c' },
      ],
    });
    expect(editDistance([], ['x', 'y'])).toMatchObject({ distance: 2, insertions: 2 });
    expect(editDistance(['x'], [])).toMatchObject({ distance: 1, deletions: 1 });
    expect(editDistance([], [])).toMatchObject({ distance: 0, alignment: [] });
  });

  it('works on phone strings and is symmetric in distance', () => {
    const ref = ['sil', 'hh', 'ah', 'l', 'ow', 'sil'];
    const hyp = ['hh', 'eh', 'l', 'l', 'ow'];
    const forward = editDistance(ref, hyp);
    expect(forward.distance).toBe(editDistance(hyp, ref).distance);
    expect(forward.substitutions + forward.insertions + forward.deletions).toBe(forward.distance);
    expect(forward.distance).toBe(4);
  });
});

describe('errorRate', () => {
  it('divides the total edits by the total reference length', () => {
    const r = errorRate([
      { reference: ['a', 'b', 'c', 'd'], hypothesis: ['a', 'x', 'c', 'd'] },
      { reference: ['e'], hypothesis: ['e', 'f', 'g'] },
    ]);
    expect(r).toEqual({
      rate: 3 / 5,
      errors: 3,
      referenceLength: 5,
      substitutions: 1,
      insertions: 2,
      deletions: 0,
    });
  });
});
