import { describe, expect, it } from 'vitest';
import { MAX_BEAM } from '@api/seq2seq';
import { BEAM_CHOICES, beamLabel, parseTranslationKey, translationKey } from './beam-choice';

describe('beam choices', () => {
  it('offers greedy decoding and wider beams within the allowed range, ascending', () => {
    expect(BEAM_CHOICES[0]).toBe(1);
    expect([...BEAM_CHOICES].sort((a, b) => a - b)).toEqual(BEAM_CHOICES);
    expect(Math.max(...BEAM_CHOICES)).toBeLessThanOrEqual(MAX_BEAM);
    expect(beamLabel(1)).toBe('1 (greedy)');
    expect(beamLabel(5)).toBe('5');
  });

  it('keys a request by experiment and beam, and reads the key back', () => {
    expect(parseTranslationKey(translationKey('g2p "x"', 3))).toEqual({
      experiment: 'g2p "x"',
      beam: 3,
    });
    expect(parseTranslationKey(translationKey('g2p', null))).toEqual({
      experiment: 'g2p',
      beam: null,
    });
    expect(translationKey('a', 1)).not.toBe(translationKey('a', 2));
  });
});
