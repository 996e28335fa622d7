import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../corpus/model';
import type { BidirectionalLm } from './contextual-embeddings';
import type { ContextualLayers } from './lm/bilm-steps';
import {
  chooseSharedWord,
  comparePolysemy,
  cosineSimilarity,
  layersWithMix,
  nearestRows,
  sharedWords,
  unitVector,
} from './polysemy';
import { buildTokenIndex, readTokenIndex, sentencesWithin, TOKEN_INDEX_FILES } from './token-index';

/** Rows of unit vectors from plain arrays. */
const rowsOf = (vectors: number[][]) => ({
  count: vectors.length,
  size: vectors[0]!.length,
  values: Float32Array.from(vectors.flatMap((v) => Array.from(unitVector(v)))),
});

describe('cosine similarity and nearest rows', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite, 0 for a zero vector', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/1 and 2/);
  });

  it('lists the k most similar rows, most similar first, whatever their length', () => {
    const rows = rowsOf([
      [1, 0, 0],
      [0, 5, 0],
      [3, 3, 0],
      [-1, 0, 0],
      [10, 1, 0],
    ]);
    const found = nearestRows(rows, [2, 0, 0], 3);
    expect(found.map((n) => n.row)).toEqual([0, 4, 2]);
    expect(found[0]!.cosine).toBeCloseTo(1, 6);
    expect(found[1]!.cosine).toBeCloseTo(10 / Math.sqrt(101), 6);
    expect(found[2]!.cosine).toBeCloseTo(Math.SQRT1_2, 6);
    expect(nearestRows(rows, [0, 0, 1], 10)).toHaveLength(5);
  });
});

describe('the shared word', () => {
  const first = 'The children play in the park .'.split(' ');
  const second = 'The play premiered yesterday .'.split(' ');

  it('is the longest word both sentences have (punctuation left out), or the one asked for', () => {
    expect(sharedWords(first, second).map((s) => s.word)).toEqual(['The', 'play']);
    expect(chooseSharedWord(first, second, null)).toEqual({ word: 'play', first: 2, second: 1 });
    expect(chooseSharedWord(first, second, ' the ')).toEqual({ word: 'The', first: 0, second: 0 });
  });

  it('names what is missing', () => {
    expect(() => chooseSharedWord(first, second, 'park')).toThrow(
      /"park" is not in the second sentence; the sentences share "The", "play"/,
    );
    expect(() => chooseSharedWord(['a', '.'], ['b', '.'], null)).toThrow(/share no word/);
  });
});

/**
 * A hand-made biLM of 2 layers of 2 values: layer 0 depends on the word only ("play" is
 * [1, 0] everywhere), layer 1 on the word after it (a verb reading when "in" follows).
 */
function handMadeLayers(sentences: readonly (readonly string[])[]): ContextualLayers[] {
  return sentences.map((words) => {
    const values = new Float32Array(words.length * 2 * 2);
    words.forEach((word, i) => {
      const base = i * 4;
      values.set(word.toLowerCase() === 'play' ? [1, 0] : [0, 1], base);
      values.set(words[i + 1] === 'in' ? [1, 1] : [1, -1], base + 2);
    });
    return { tokens: words.length, layers: 2, size: 2, values };
  });
}

describe('comparing one word in two sentences', () => {
  it('gives the static and contextual cosines and each occurrence its neighbours', () => {
    const layers = handMadeLayers([['play', 'in']])[0]!;
    expect(
      layersWithMix(layers.values, 0, 2, 2).map((l) => [l.layer, Array.from(l.vector)]),
    ).toEqual([
      [0, [1, 0]],
      [1, [1, 1]],
      ['mix', [1, 0.5]],
    ]);
    const indexSentences = [
      ['kids', 'play', 'in', 'it'],
      ['a', 'play', 'ends'],
    ];
    const indexLayers = handMadeLayers(indexSentences);
    const mixes = indexLayers.flatMap((l) =>
      Array.from({ length: l.tokens }, (_, t) =>
        Array.from(layersWithMix(l.values, t, 2, 2)[2]!.vector),
      ),
    );
    const compared = comparePolysemy(
      {
        layersOf: handMadeLayers,
        index: {
          summary: { corpus: 'c', split: 'train', tokens: 7, sentencesLeftOut: 0 },
          rows: rowsOf(mixes),
          sentences: indexSentences,
          places: Int32Array.from([0, 0, 0, 1, 0, 2, 0, 3, 1, 0, 1, 1, 1, 2]),
        },
      },
      'bilm',
      'The children play in the park.',
      'The play premiered yesterday.',
      null,
      1,
    );
    expect(compared.word).toBe('play');
    expect(compared.first.position).toBe(2);
    expect(compared.second.position).toBe(1);
    expect(compared.similarities.map((s) => [s.layer, s.kind])).toEqual([
      [0, 'static'],
      [1, 'contextual'],
      ['mix', 'contextual'],
    ]);
    const [statik, contextual, mix] = compared.similarities.map((s) => s.cosine);
    expect(statik).toBeCloseTo(1, 6); // [1,0] vs [1,0]
    expect(contextual).toBeCloseTo(0, 6); // [1,1] vs [1,-1]
    expect(mix).toBeCloseTo(cosineSimilarity([1, 0.5], [1, -0.5]), 6);
    // The verb "play" (before "in") is nearest the index's verb "play", the noun the noun.
    expect(compared.first.neighbours).toEqual([
      { word: 'play', before: ['kids'], after: ['in', 'it'], cosine: expect.closeTo(1, 6) },
    ]);
    expect(compared.second.neighbours?.map((n) => [n.word, n.before, n.after])).toEqual([
      ['play', ['a'], ['ends']],
    ]);
    const without = comparePolysemy(
      { layersOf: handMadeLayers, index: null },
      'bilm',
      'play in',
      'a play',
      null,
      3,
    );
    expect(without.first.neighbours).toBeNull();
    expect(without.index).toBeNull();
    expect(() =>
      comparePolysemy({ layersOf: handMadeLayers, index: null }, 'bilm', ' ', 'a', null, 3),
    ).toThrow(/first sentence has no words/);
  });
});

describe('the token index', () => {
  it('keeps whole sentences within the limit', () => {
    expect(sentencesWithin([['a', 'b'], ['c'], ['d', 'e', 'f'], ['g']], 4)).toEqual({
      kept: [['a', 'b'], ['c']],
      tokens: 3,
    });
  });

  it('is built with progress, kept beside the model, read back, and refused for other weights', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'unfold-token-index-'));
    try {
      const lm = {
        layers: 2,
        size: 2,
        weightsSha256: 'w1',
        layersOf: handMadeLayers,
      } as unknown as BidirectionalLm;
      const corpus = {
        manifest: { name: 'ref' },
        data: {
          kind: 'text',
          splits: new Map([
            [
              'train',
              { format: 'plain', lines: ['kids play in it', 'a play ends', 'more words here'] },
            ],
          ]),
        },
      } as unknown as Corpus;
      const fractions: number[] = [];
      const record = await buildTokenIndex(
        dir,
        lm,
        corpus,
        'train',
        { level: 'word', tokenizer: 'whitespace' },
        { maxTokens: 8, onProgress: (p) => fractions.push(p.fraction ?? -1) },
      );
      expect(record).toMatchObject({
        corpus: 'ref',
        split: 'train',
        tokens: 7,
        sentencesLeftOut: 1,
      });
      expect(fractions.at(-1)).toBe(1);
      const index = await readTokenIndex(dir, 'w1');
      expect(index!.rows.count).toBe(7);
      // Row 1 is "play" before "in": the mix [1, 0.5] scaled to length 1.
      expect(Array.from(index!.rows.values.subarray(2, 4))).toEqual(
        Array.from(unitVector([1, 0.5])),
      );
      expect(Array.from(index!.places.subarray(8, 10))).toEqual([1, 0]);
      await expect(readTokenIndex(dir, 'w2')).rejects.toThrow(/other weights/);
      await writeFile(join(dir, 'model', TOKEN_INDEX_FILES.vectors), 'not numpy');
      await expect(readTokenIndex(dir, 'w1')).rejects.toThrow(/not a \.npy file/);
      await expect(
        buildTokenIndex(dir, lm, corpus, 'dev', { level: 'word', tokenizer: 'whitespace' }),
      ).rejects.toThrow(/no split "dev"/);
      expect(await readTokenIndex(join(dir, 'none'), 'w1')).toBeNull();
      // Cancelled: nothing is written over the index that is there.
      const other = join(dir, 'cancelled');
      const controller = new AbortController();
      controller.abort();
      await expect(
        buildTokenIndex(
          other,
          lm,
          corpus,
          'train',
          { level: 'word', tokenizer: 'whitespace' },
          {
            signal: controller.signal,
          },
        ),
      ).rejects.toThrow();
      expect(await readTokenIndex(other, 'w1')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
