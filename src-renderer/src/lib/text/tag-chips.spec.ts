import { describe, expect, it } from 'vitest';
import type { TaggedText } from '@api/text';
import { chipStyle } from '../corpora/tag-colours';
import { formatTagProbability, tagLegend, tokenChips, tokenDescription } from './tag-chips';

const TAGGED: TaggedText = {
  experiment: 'ewt-tagger',
  tagSet: ['NOUN', 'VERB', 'DET', 'PUNCT'],
  tokens: [
    {
      text: 'The',
      start: 0,
      end: 3,
      tag: 'DET',
      top: [
        { tag: 'DET', probability: 0.981 },
        { tag: 'PRON', probability: 0.012 },
        { tag: 'NOUN', probability: 0.004 },
      ],
      unseen: false,
    },
    {
      text: 'blicket',
      start: 4,
      end: 11,
      tag: 'NOUN',
      top: [
        { tag: 'NOUN', probability: 0.61 },
        { tag: 'ADJ', probability: 0.2 },
        { tag: 'VERB', probability: 0.1 },
      ],
      unseen: true,
    },
    {
      text: 'The',
      start: 12,
      end: 15,
      tag: 'DET',
      top: [{ tag: 'DET', probability: 0.99 }],
      unseen: false,
    },
  ],
};

describe('tag chips', () => {
  it('formats a probability as a percentage with one decimal', () => {
    expect(formatTagProbability({ tag: 'NOUN', probability: 0.9214 })).toBe('NOUN 92.1%');
  });

  it('describes a token by its tag, its top tags and whether training saw it', () => {
    const [the, blicket] = TAGGED.tokens;
    expect(tokenDescription(the!)).toBe(
      'The: DET. Top tags: DET 98.1%, PRON 1.2%, NOUN 0.4%. Word seen in training.',
    );
    expect(tokenDescription(blicket!)).toBe(
      'blicket: NOUN. Top tags: NOUN 61.0%, ADJ 20.0%, VERB 10.0%. Word not seen in training.',
    );
  });

  it('makes one chip per token, keyed by its place, coloured by its tag', () => {
    const chips = tokenChips(TAGGED);
    expect(chips.map((c) => c.key)).toEqual(['0:3:The', '4:11:blicket', '12:15:The']);
    expect(new Set(chips.map((c) => c.key)).size).toBe(3);
    expect(chips[1]?.style).toBe(chipStyle('NOUN', TAGGED.tagSet));
    expect(chips[0]?.style).not.toBe(chips[1]?.style);
  });

  it("lists every tag of the model in its order, with the text's counts", () => {
    const legend = tagLegend(
      TAGGED.tagSet,
      TAGGED.tokens.map((t) => t.tag),
    );
    expect(legend.map((e) => [e.tag, e.count])).toEqual([
      ['NOUN', 1],
      ['VERB', 0],
      ['DET', 2],
      ['PUNCT', 0],
    ]);
    expect(legend[2]?.style).toBe(chipStyle('DET', TAGGED.tagSet));
  });
});
