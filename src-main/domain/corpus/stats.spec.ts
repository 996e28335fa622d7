import { describe, expect, it } from 'vitest';
import type { SpeechCorpusData, Utterance } from './model';
import { corpusStats } from './stats';

function utterance(speaker: string, split: string, n: number): Utterance {
  return { id: `${speaker}-${n}`, recordingId: `${speaker}-${n}`, speaker, split, text: 'yes' };
}

function speech(utterances: Utterance[]): SpeechCorpusData {
  return {
    kind: 'speech',
    recordings: utterances.map((u) => ({
      id: u.recordingId,
      path: `audio/${u.id}.wav`,
      duration: 1,
    })),
    utterances,
    alignments: new Map(),
  };
}

describe('corpusStats', () => {
  it("counts each speaker's items within each split", () => {
    const stats = corpusStats(
      speech([
        utterance('ann', 'train', 0),
        utterance('ann', 'train', 1),
        utterance('bob', 'train', 0),
        utterance('eve', 'test', 0),
      ]),
    );
    expect(stats.perSplitSpeaker).toEqual({ train: { ann: 2, bob: 1 }, test: { eve: 1 } });
    expect(stats.perSplit).toEqual({ train: 3, test: 1 });
  });

  it('keeps a split or speaker named like an Object.prototype key as its own entry', () => {
    const stats = corpusStats(
      speech([utterance('constructor', '__proto__', 0), utterance('ann', 'constructor', 0)]),
    );
    expect(Object.hasOwn(stats.perSplitSpeaker, '__proto__')).toBe(true);
    expect(stats.perSplitSpeaker['__proto__']).toEqual({ constructor: 1 });
    expect(stats.perSplitSpeaker['constructor']).toEqual({ ann: 1 });
    expect(({} as Record<string, unknown>)['ann']).toBeUndefined();
  });

  it('has no speakers per split for a text corpus', () => {
    const stats = corpusStats({
      kind: 'text',
      splits: new Map([['train', { format: 'plain' as const, lines: ['a', 'b'] }]]),
    });
    expect(stats.perSplitSpeaker).toEqual({});
    expect(stats.perSplit).toEqual({ train: 2 });
  });
});
