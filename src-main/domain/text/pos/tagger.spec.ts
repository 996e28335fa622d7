import { describe, expect, it } from 'vitest';
import { sentenceSpans } from './tagger';

const tokens = (text: string) => text.split(' ').map((t) => ({ text: t }));

describe('sentenceSpans', () => {
  it('cuts after sentence-final punctuation, keeping runs of it together', () => {
    expect(sentenceSpans(tokens('Hi . How are you ? ! Fine'))).toEqual([
      [0, 2],
      [2, 7],
      [7, 8],
    ]);
  });

  it('cuts long text without full stops every 200 tokens, and gives nothing for no tokens', () => {
    const spans = sentenceSpans(Array.from({ length: 450 }, () => ({ text: 'x' })));
    expect(spans).toEqual([
      [0, 200],
      [200, 400],
      [400, 450],
    ]);
    expect(sentenceSpans([])).toEqual([]);
  });

  it('ends a sentence at a line break only when asked', () => {
    const text = 'We run\nThey walk';
    const lineTokens = [
      { text: 'We', start: 0, end: 2 },
      { text: 'run', start: 3, end: 6 },
      { text: 'They', start: 7, end: 11 },
      { text: 'walk', start: 12, end: 16 },
    ];
    expect(sentenceSpans(lineTokens, { lineBreaksIn: text })).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(sentenceSpans(lineTokens)).toEqual([[0, 4]]);
  });
});
