import { describe, expect, it } from 'vitest';
import { applyCmvn, cmvnStatsOf, normaliseBySpeaker, normaliseUtterance } from './cmvn';
import type { FeatureMatrix } from './feature-matrix';

function matrix(rows: number[][]): FeatureMatrix {
  return { data: Float32Array.from(rows.flat()), frames: rows.length, dims: rows[0]?.length ?? 0 };
}

describe('CMVN', () => {
  it('gives each dimension zero mean and unit variance per utterance', () => {
    const normalised = normaliseUtterance(
      matrix([
        [1, 10],
        [3, 10],
        [5, 10],
      ]),
    );
    expect(Array.from(normalised.data).map((v) => Number(v.toFixed(4)))).toEqual([
      -1.2247, 0, 0, 0, 1.2247, 0,
    ]);
    const meanOnly = normaliseUtterance(
      matrix([
        [1, 10],
        [3, 12],
      ]),
      { normaliseVariance: false },
    );
    expect(Array.from(meanOnly.data)).toEqual([-1, -1, 1, 1]);
  });

  it('pools statistics over a speaker’s utterances, not across speakers', () => {
    const utterances = new Map([
      ['anna-1', { speaker: 'anna', features: matrix([[0], [2]]) }],
      ['anna-2', { speaker: 'anna', features: matrix([[4], [6]]) }],
      ['ben-1', { speaker: 'ben', features: matrix([[100], [102]]) }],
    ]);
    const result = normaliseBySpeaker(utterances, { normaliseVariance: false });
    expect(Array.from(result.get('anna-1')?.data ?? [])).toEqual([-3, -1]);
    expect(Array.from(result.get('anna-2')?.data ?? [])).toEqual([1, 3]);
    expect(Array.from(result.get('ben-1')?.data ?? [])).toEqual([-1, 1]);
  });

  it('rejects statistics of another dimension', () => {
    expect(() => applyCmvn(matrix([[1, 2]]), cmvnStatsOf([matrix([[1]])], 1))).toThrow(
      /1 dims but the features have 2/,
    );
  });
});
