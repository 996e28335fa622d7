import { describe, expect, it } from 'vitest';
import { CorpusSynthWordsParamsSchema } from '@api/corpus';
import { extraClasses, wordList, wordTakes } from './synth-words-form';

describe('the synthesis dialog (words)', () => {
  it('reads a word list from commas or lines', () => {
    expect(wordList('Yes, no\nup,, yes ')).toEqual(['yes', 'no', 'up']);
  });

  it('reads the silence and unknown-word classes into job params the job accepts', () => {
    const words = ['yes', 'no'];
    const extra = extraClasses(words, '4', 'maybe, stop');
    expect(extra).toEqual({
      ok: true,
      value: { silenceClips: 4, unknownWords: ['maybe', 'stop'] },
    });
    if (!extra.ok) return;
    const params = CorpusSynthWordsParamsSchema.parse({ out: 'w', words, ...extra.value });
    expect(params.silenceClips).toBe(4);
    expect(params.unknownWords).toEqual(['maybe', 'stop']);
    expect(extraClasses(words, '', '')).toEqual({
      ok: true,
      value: { silenceClips: 0, unknownWords: [] },
    });
  });

  it('refuses a bad clip count and an unknown word that is one of the words', () => {
    const bad = ['-1', '2.5', 'many', '1001'].map((n) => extraClasses(['yes'], n, ''));
    expect(bad.every((r) => !r.ok)).toBe(true);
    expect(extraClasses(['yes'], '', 'no, yes')).toEqual({
      ok: false,
      message: '"yes" is both a word and an unknown word: the unknown words must be other words.',
    });
    expect(extraClasses(['yes'], '', 'not sure')).toEqual({
      ok: false,
      message: '"not sure" is not one word.',
    });
  });

  it('counts the takes as the job does', () => {
    // 2 voices x ((3 words + 1 unknown class) x 9 variations + 5 silence clips)
    expect(wordTakes(3, 2, 9, { silenceClips: 5, unknownWords: ['a', 'b'] })).toBe(82);
    expect(wordTakes(3, 2, 9, { silenceClips: 0, unknownWords: [] })).toBe(54);
  });
});
