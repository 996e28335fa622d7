import { describe, expect, it } from 'vitest';
import { GAP, scoreSeq2seq } from './score-seq2seq';
import type { ReferenceItem } from './sequence-pairs';
import type { DecodedSource } from './translate-sources';

const decoded = (symbols: string[], finished = true): DecodedSource => ({
  nBest: [{ symbols, logProb: -1, score: -0.5, finished }],
  unknownSymbols: [],
  longerThanTraining: false,
});

const G2P_ITEMS: ReferenceItem[] = [
  {
    id: 'train:1',
    sourceText: 'read',
    source: [...'read'],
    references: [
      ['R', 'EH', 'D'],
      ['R', 'IY', 'D'],
    ],
  },
  { id: 'train:3', sourceText: 'cat', source: [...'cat'], references: [['K', 'AE', 'T']] },
  { id: 'train:4', sourceText: 'at', source: [...'at'], references: [['AE', 'T']] },
];
const G2P_LABELS = {
  labels: ['<s>', '</s>', 'AE', 'D', 'EH', 'IY', 'K', 'R', 'T'],
  levels: { source: 'characters', target: 'tokens' } as const,
};

describe('scoring a seq2seq model', () => {
  it('g2p: word and phone error rates, the phone confusions of the alignments, worst first', () => {
    const evaluation = scoreSeq2seq(
      G2P_ITEMS,
      [decoded(['R', 'IY', 'D']), decoded(['K', 'EH', 'T']), decoded(['T'], false)],
      G2P_LABELS,
      'g2p',
    );
    expect(evaluation.rates.wordErrorRate).toBeCloseTo(2 / 3, 12);
    expect(evaluation.rates.phoneErrorRate).toBeCloseTo(2 / 8, 12);
    expect(evaluation.predictions.map((p) => [p.predicted, p.reference, p.correct])).toEqual([
      ['R IY D', 'R IY D', true],
      ['K EH T', 'K AE T', false],
      ['T', 'AE T', false],
    ]);
    // "at" has 1 edit in 2 phones, "cat" 1 in 3: "at" is worse.
    expect(evaluation.worst.map((p) => p.utteranceId)).toEqual(['train:4', 'train:3']);
    const { labels, counts } = evaluation.confusion;
    expect(labels[labels.length - 1]).toBe(GAP);
    const cell = (r: string, h: string): number =>
      counts[labels.indexOf(r)]?.[labels.indexOf(h)] ?? NaN;
    expect(cell('AE', 'EH')).toBe(1);
    expect(cell('AE', GAP)).toBe(1);
    expect(cell('R', 'R')).toBe(1);
    expect(evaluation.topConfusions).toEqual([
      { reference: 'AE', output: 'EH', count: 1 },
      { reference: 'AE', output: GAP, count: 1 },
    ]);
    expect(evaluation.unfinished).toBe(1);
    expect(evaluation.summary).toMatchObject({ items: 3, unfinished: 1 });
  });

  it('translation: BLEU and chrF of the texts, no confusion matrix', () => {
    const items: ReferenceItem[] = [
      {
        id: 'test:1',
        sourceText: 'le chat',
        source: ['le', 'chat'],
        references: [['the', 'cat', 'sat', 'on', 'the', 'mat']],
      },
    ];
    const evaluation = scoreSeq2seq(
      items,
      [decoded(['the', 'cat', 'sat', 'on', 'the', 'mat'])],
      { labels: [], levels: { source: 'tokens', target: 'tokens' } },
      'translation',
    );
    expect(evaluation.bleu).toBeCloseTo(100, 8);
    expect(evaluation.chrf).toBeCloseTo(100, 8);
    expect(evaluation.confusion).toEqual({ labels: [], counts: [] });
    expect(evaluation.summary).toMatchObject({ bleu: evaluation.bleu, chrf: evaluation.chrf });
  });
});
