import { describe, expect, it } from 'vitest';
import type { CorpusSummary } from '@api/corpus';
import { isBidirectionalLmConfig as isBidirectionalLm } from '@api/experiment-config';
import {
  headlineSimilarities,
  indexableCorpora,
  neighbourBars,
  similarityBars,
} from './polysemy-view';

describe('the polysemy panel', () => {
  it('tells a bidirectional LM from a forward one', () => {
    expect(isBidirectionalLm({ task: 'lm', model: { direction: 'bidirectional' } })).toBe(true);
    expect(isBidirectionalLm({ task: 'lm', model: {} })).toBe(false);
    expect(isBidirectionalLm({ task: 'pos', model: { direction: 'bidirectional' } })).toBe(false);
  });

  it('draws each layer cosine as a bar (none below 0) and states the static and the mix', () => {
    const similarities = [
      { layer: 0, kind: 'static', cosine: 1 },
      { layer: 1, kind: 'contextual', cosine: -0.25 },
      { layer: 'mix', kind: 'contextual', cosine: 0.5 },
    ] as const;
    const bars = similarityBars(similarities);
    expect(bars.map((b) => [b.value, b.probability, b.percent, b.marked])).toEqual([
      ['0', 1, '1.000', true],
      ['1', 0, '-0.250', false],
      ['mix', 0.5, '0.500', false],
    ]);
    expect(bars[0]!.face).toContain('static');
    expect(headlineSimilarities(similarities)).toEqual({ static: 1, contextual: 0.5 });
  });

  it('writes each neighbour in its context, the same word in bold', () => {
    const bars = neighbourBars(
      [
        { word: 'Play', before: ['kids'], after: ['in', 'it'], cosine: 0.9 },
        { word: 'game', before: [], after: [], cosine: 0.4 },
      ],
      'play',
    );
    expect(bars.map((b) => [b.face, b.marked])).toEqual([
      ['kids [Play] in it', true],
      ['[game]', false],
    ]);
  });

  it('offers the text corpora with splits, largest split first', () => {
    const corpus = (name: string, kind: 'text' | 'speech', splits: Record<string, number>) =>
      ({ name, kind, textFormat: 'plain', splits }) as unknown as CorpusSummary;
    expect(
      indexableCorpora([
        corpus('t', 'text', { dev: 10, train: 100 }),
        corpus('s', 'speech', { train: 5 }),
        corpus('e', 'text', {}),
      ]),
    ).toEqual([{ name: 't', splits: ['train', 'dev'] }]);
  });
});
