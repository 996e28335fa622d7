import { describe, expect, it } from 'vitest';
import type { LmReadUnit } from '@api/lm';
import {
  continuations,
  meanSurprisal,
  nextUnitBars,
  oneIn,
  shadedUnits,
  surprisalColour,
  surprisalLegend,
  surprisalScale,
  typedContext,
  unitFace,
} from './lm-reading';

const unit = (text: string, probability: number, unknown = false): LmReadUnit => ({
  text,
  probability,
  surprisal: -Math.log2(probability),
  unknown,
});

/** Brightness of a '#rrggbb' shade (0 black .. 765 white). */
const brightness = (hex: string): number =>
  [1, 3, 5].reduce((sum, i) => sum + parseInt(hex.slice(i, i + 2), 16), 0);

describe('surprisal shading', () => {
  it('picks the smallest scale end that holds the largest surprisal', () => {
    expect(surprisalScale([])).toBe(4);
    expect(surprisalScale([unit('a', 0.5), unit('b', 1 / 16)])).toBe(4);
    expect(surprisalScale([unit('a', 1 / 32)])).toBe(8);
    expect(surprisalScale([{ surprisal: 40 }])).toBe(24);
  });

  it('is white when expected and darker the more surprising', () => {
    expect(surprisalColour(0, 8)).toBe(surprisalColour(-1, 8));
    expect(brightness(surprisalColour(0, 8))).toBeGreaterThan(brightness(surprisalColour(4, 8)));
    expect(brightness(surprisalColour(4, 8))).toBeGreaterThan(brightness(surprisalColour(8, 8)));
    expect(surprisalColour(8, 8)).toBe(surprisalColour(30, 8));
  });

  it('says each unit’s bits and probability, and marks the unknown', () => {
    const [the, zebra] = shadedUnits([unit('the', 0.25), unit('zebra', 0.001, true)], 12);
    expect(the?.bits).toBe('2.0');
    expect(the?.description).toBe(
      'the: 2.0 bits of surprisal, probability 25.00% (1 in 4.0) after the text before it.',
    );
    expect(zebra?.description).toContain('1 in 1,000');
    expect(zebra?.description).toContain('unknown unit');
    expect(the?.style).toContain(the?.background ?? 'none');
  });

  it('explains the shades in words for the level', () => {
    const [shades, measure] = surprisalLegend(8, 'char');
    expect(shades).toContain('expected the character');
    expect(shades).toContain('up to 8 bits (a probability of 1 in 256)');
    expect(measure).toContain('−log₂ of its probability');
  });

  it('averages surprisal into bits and perplexity', () => {
    expect(meanSurprisal([])).toBeNull();
    const mean = meanSurprisal([unit('a', 0.5), unit('b', 0.125)]);
    expect(mean?.bits).toBeCloseTo(2, 12);
    expect(mean?.perplexity).toBeCloseTo(4, 12);
  });

  it('writes odds and faces plainly', () => {
    expect(oneIn(0.5)).toBe('1 in 2.0');
    expect(oneIn(0.0004)).toBe('1 in 2,500');
    expect(oneIn(0)).toBe('never');
    expect(unitFace('</s>')).toBe('¶ end');
    expect(unitFace(' ')).toBe('␣');
    expect(unitFace('dog')).toBe('dog');
  });
});

describe('what the model reads while typing', () => {
  it('leaves the word being typed out at word level, and reads everything at character level', () => {
    expect(typedContext('the ca', 'word')).toEqual({ read: 'the ', typing: 'ca' });
    expect(typedContext('the cat ', 'word')).toEqual({ read: 'the cat ', typing: '' });
    expect(typedContext('', 'word')).toEqual({ read: '', typing: '' });
    expect(typedContext('the ca', 'char')).toEqual({ read: 'the ca', typing: '' });
  });

  it('marks the next units that continue the word being typed', () => {
    const bars = nextUnitBars(
      [
        { text: 'Cat', probability: 0.5 },
        { text: 'dog', probability: 0.25 },
        { text: '</s>', probability: 0.125 },
      ],
      'ca',
    );
    expect(bars.map((b) => [b.face, b.percent, b.matches])).toEqual([
      ['Cat', '50.0%', true],
      ['dog', '25.0%', false],
      ['¶ end', '12.5%', false],
    ]);
    expect(nextUnitBars([{ text: 'a', probability: 1 }], '')[0]?.matches).toBe(false);
  });
});

describe('generated units as text', () => {
  it('puts a space before words, none at a line start, and a new line for a sentence end', () => {
    expect(continuations('the dog', ['runs', '</s>', 'a', 'cat'], 'word')).toEqual([
      ' runs',
      '\n',
      'a',
      ' cat',
    ]);
    expect(continuations('', ['the', 'end'], 'word')).toEqual(['the', ' end']);
    expect(continuations('the ', ['cat'], 'word')).toEqual(['cat']);
    expect(continuations('ca', ['t', ' ', '</s>'], 'char')).toEqual(['t', ' ', '\n']);
  });
});
