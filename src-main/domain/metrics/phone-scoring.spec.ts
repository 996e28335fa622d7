import { describe, expect, it } from 'vitest';
import { readPhoneFolding } from '../corpus/phone-folding';
import { foldForScoring, scoringClassMap } from './phone-scoring';

describe('phone scoring', () => {
  it('folds to 39 phones, drops silence and merges neighbours that became equal', async () => {
    const folding = await readPhoneFolding();
    expect(foldForScoring(['pau', 'dh', 'ax', 'ah', 'k', 'ao', 'aa', 'pau'], folding)).toEqual([
      'dh',
      'ah',
      'k',
      'aa',
    ]);
  });

  it('maps a training phone set onto the scoring set', async () => {
    const folding = await readPhoneFolding();
    const { scoringPhones, map } = scoringClassMap(['aa', 'ao', 'ax', 'ah', 'pau'], folding);
    expect(scoringPhones).toEqual(['aa', 'ah', 'sil']);
    expect(Array.from(map)).toEqual([0, 0, 1, 1, 2]);
  });
});
