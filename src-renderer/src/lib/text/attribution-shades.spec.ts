import { describe, expect, it } from 'vitest';
import type { AttributedToken, ClassifiedText } from '@api/sentiment';
import { contrastRatio } from '../plot/palettes';
import {
  attributionLegend,
  attributionScale,
  attributionWords,
  labelBars,
  shadeColour,
  shadedTokens,
  signedPoints,
  textOnShade,
} from './attribution-shades';

function token(text: string, start: number, attribution: number, unseen = false): AttributedToken {
  return { text, start, end: start + text.length, attribution, unseen };
}

const CLASSIFIED: ClassifiedText = {
  experiment: 'reviews',
  text: 'a great zorp film',
  label: 'positive',
  probability: 0.9,
  probabilities: [
    { label: 'negative', probability: 0.1 },
    { label: 'positive', probability: 0.9 },
  ],
  tokens: [
    token('a', 0, 0.001),
    token('great', 2, 0.42),
    token('zorp', 8, 0, true),
    token('film', 13, -0.031),
  ],
  attributionMethod: 'leave-one-out-unknown-word',
};

describe('attribution shades', () => {
  it('scales to the smallest fixed end that holds the largest attribution', () => {
    expect(attributionScale([])).toBe(5);
    expect(attributionScale([{ attribution: 0.03 }, { attribution: -0.05 }])).toBe(5);
    expect(attributionScale([{ attribution: -0.051 }])).toBe(10);
    expect(attributionScale(CLASSIFIED.tokens)).toBe(50);
    expect(attributionScale([{ attribution: 1 }])).toBe(100);
  });

  it('shades zero white, the label purple and the other way orange, deeper with more points', () => {
    const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    for (const channel of rgb(shadeColour(0, 10))) expect(channel).toBeGreaterThanOrEqual(245);
    const toward = shadeColour(0.1, 10);
    const against = shadeColour(-0.1, 10);
    expect(toward).toBe('#2d004b');
    expect(against).toBe('#7f3b08');
    // Purple has more blue than red, orange more red than blue.
    const [pr, , pb] = rgb(shadeColour(0.04, 10));
    const [or, , ob] = rgb(shadeColour(-0.04, 10));
    expect(pb!).toBeGreaterThan(pr!);
    expect(or!).toBeGreaterThan(ob!);
    // Past the end of the scale is the end's colour.
    expect(shadeColour(0.5, 10)).toBe(toward);
  });

  it('writes text that reads on every shade', () => {
    for (let a = -0.1; a <= 0.1; a += 0.005) {
      const background = shadeColour(a, 10);
      expect(contrastRatio(background, textOnShade(background))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('says in words what a token does to the label', () => {
    expect(attributionWords(0.123, 'positive')).toBe('pushes toward positive by 12.3 points');
    expect(attributionWords(-0.04, 'positive')).toBe('pushes against positive by 4.0 points');
    expect(attributionWords(0.0001, 'positive')).toBe('makes no difference to positive');
    expect(signedPoints(0.123)).toBe('+12.3');
    expect(signedPoints(-0.04)).toBe('−4.0');
    expect(signedPoints(0)).toBe('0.0');
  });

  it('gives each token its shade, its number and its description, unseen words said so', () => {
    const shaded = shadedTokens(CLASSIFIED);
    expect(shaded.map((s) => s.key)).toEqual(['0:1:a', '2:7:great', '8:12:zorp', '13:17:film']);
    expect(shaded.map((s) => s.signedPoints)).toEqual(['+0.1', '+42.0', '0.0', '−3.1']);
    expect(shaded[1]!.description).toBe(
      'great pushes toward positive by 42.0 points. Seen in training.',
    );
    expect(shaded[2]!.description).toBe(
      'zorp makes no difference to positive. Not seen in training.',
    );
    expect(shaded[1]!.background).toBe(shadeColour(0.42, 50));
    expect(shaded[1]!.style).toContain(`--chip-bg: ${shadeColour(0.42, 50)}`);
  });

  it('names the label in the legend, with the scale end and the method', () => {
    const [shades, method] = attributionLegend('positive', 50);
    expect(shades).toContain('pushes toward positive');
    expect(shades).toContain('pushes against positive');
    expect(shades).toContain('up to 50');
    expect(method).toContain('unknown word');
  });

  it("bars every label's probability in the model's order, the answer marked", () => {
    expect(labelBars(CLASSIFIED.probabilities, 'positive')).toEqual([
      { label: 'negative', probability: 0.1, predicted: false, percent: '10.0%' },
      { label: 'positive', probability: 0.9, predicted: true, percent: '90.0%' },
    ]);
  });
});
