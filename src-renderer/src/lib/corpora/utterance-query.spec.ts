import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, durationError, filterQuery, queryKey } from './utterance-query';

describe('filterQuery', () => {
  it('asks for nothing when nothing is filled in', () => {
    expect(filterQuery(EMPTY_FILTER)).toEqual({});
  });

  it('maps each field to the API filter', () => {
    expect(
      filterQuery({
        search: '  theo ',
        label: 'seven',
        speaker: 'theo',
        split: 'test',
        minDuration: '0.25',
        maxDuration: '1',
        alignment: 'no',
      }),
    ).toEqual({
      search: 'theo',
      label: 'seven',
      speaker: 'theo',
      split: 'test',
      minDuration: 0.25,
      maxDuration: 1,
      hasAlignment: false,
    });
    expect(filterQuery({ ...EMPTY_FILTER, alignment: 'yes' })).toEqual({ hasAlignment: true });
  });

  it('ignores durations that are not numbers and says so', () => {
    expect(filterQuery({ ...EMPTY_FILTER, minDuration: 'abc', maxDuration: '-1' })).toEqual({});
    expect(durationError('abc')).toBe('seconds, e.g. 0.5');
    expect(durationError(' 2 ')).toBeNull();
  });

  it('keys queries independently of field order', () => {
    expect(queryKey({ label: 'a', speaker: 'b' })).toBe(queryKey({ speaker: 'b', label: 'a' }));
    expect(queryKey({ label: 'a' })).not.toBe(queryKey({ label: 'b' }));
  });
});
