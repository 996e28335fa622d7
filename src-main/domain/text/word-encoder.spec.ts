import { describe, expect, it } from 'vitest';
import { WordInputSchema } from '../experiments/config/text-config';
import { MAX_WORD_CHARS } from './characters';
import { UNK_ID } from './vocabulary';
import { WordEncoder } from './word-encoder';
import { CASE_CLASSES, caseClassOf } from './word-shape';

const sentences = [
  ['The', 'dog', 'runs', '.'],
  ['The', 'cat', 'sleeps', '.'],
  ['A', 'dog', 'sleeps', '.'],
];

describe('WordEncoder', () => {
  const input = WordInputSchema.parse({ minCount: 2, wordDropout: 0.5 });
  const encoder = WordEncoder.fromTraining(sentences, input);

  it('maps words below the cut-off to the unknown id, and knows which words training saw', () => {
    const { inputs } = encoder.encode(['The', 'cat', 'zebra'], { training: false });
    expect(inputs[0]).not.toBe(UNK_ID);
    expect(inputs[1]).toBe(UNK_ID); // seen once: below minCount 2
    expect(inputs[2]).toBe(UNK_ID);
    expect(encoder.isUnseen('cat')).toBe(false);
    expect(encoder.isUnseen('zebra')).toBe(true);
    expect(encoder.isUnseen('the')).toBe(true); // case matters without lowercase
  });

  it('gives character rows padded to the longest word (at least the CNN width) and case classes', () => {
    const long = 'x'.repeat(10_000);
    const encoded = encoder.encode(['A', long], { training: false });
    expect(encoded.charsPerToken).toBe(MAX_WORD_CHARS);
    const chars = encoded.chars as Int32Array;
    expect(chars).toHaveLength(2 * MAX_WORD_CHARS);
    expect(chars[1]).toBe(0); // "A" is one character, then padding
    expect(chars.subarray(MAX_WORD_CHARS).every((id) => id !== 0)).toBe(true);
    expect(encoder.encode(['A'], { training: false }).charsPerToken).toBe(3);
    expect(Array.from(encoded.cases as Int32Array)).toEqual([caseClassOf('A'), caseClassOf(long)]);
    expect(CASE_CLASSES.length).toBeGreaterThan(2);
  });

  it('adds word-dropout probabilities alpha / (alpha + count) in training only', () => {
    const training = encoder.encode(['dog', 'cat', '.'], { training: true });
    const [dog, cat, stop] = Array.from(training.tokenDropout as Float32Array);
    expect(dog).toBeCloseTo(0.5 / 2.5, 6);
    expect(cat).toBe(0); // already unknown
    expect(stop).toBeCloseTo(0.5 / 3.5, 6);
    expect(encoder.encode(['dog'], { training: false }).tokenDropout).toBeUndefined();
  });

  it('reads back what it stored, and names the file when it cannot', () => {
    const copy = WordEncoder.fromBytes(encoder.toBytes(), 'word-encoder.json');
    const words = ['The', 'dog', 'zebra', 'émigré'];
    expect(copy.encode(words, { training: false })).toEqual(
      encoder.encode(words, { training: false }),
    );
    expect(copy.isUnseen('zebra')).toBe(true);
    expect(() =>
      WordEncoder.fromBytes(new TextEncoder().encode('{"format":"x"}'), 'exp/word-encoder.json'),
    ).toThrow(/exp\/word-encoder.json/);
    expect(() =>
      WordEncoder.fromBytes(new TextEncoder().encode('not json'), 'exp/word-encoder.json'),
    ).toThrow(/exp\/word-encoder.json: not JSON/);
  });

  it('builds the engine input the config asks for', () => {
    expect(encoder.modelInput(input)).toMatchObject({
      kind: 'tokens',
      vocabSize: encoder.vocabularySize,
      embeddingSize: 100,
      unknownId: UNK_ID,
      chars: { vocabSize: encoder.characterCount, embeddingSize: 30, filters: 50, width: 3 },
      cases: { count: CASE_CLASSES.length, embeddingSize: 8 },
    });
    const plain = WordInputSchema.parse({ chars: null, caseFeatures: false });
    const plainEncoder = WordEncoder.fromTraining(sentences, plain);
    const input2 = plainEncoder.modelInput(plain) as Record<string, unknown>;
    expect(input2.chars).toBeUndefined();
    expect(input2.cases).toBeUndefined();
    expect(plainEncoder.encode(['dog'], { training: false }).chars).toBeUndefined();
  });
});
