import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { WordInputSchema } from '../../experiments/config/text-config';
import { loadRnnNative } from '../../../native/rnn-native';
import { parseModelConfig } from '../../rnn/model-config';
import { createRng } from '../../rnn/random';
import { RnnModel } from '../../rnn/rnn-model';
import { withKernel } from '../../rnn/testing/with-kernel';
import { WordEncoder } from '../word-encoder';
import type { Tagger } from './tagger';
import { NATIVE_CALL_TOKENS, sentenceChunks, sentenceSpans, taggerFrom } from './tagger';

beforeAll(async () => {
  await initTfBackend();
});

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

describe('sentenceChunks', () => {
  it('cuts sentences into consecutive runs of at most the token budget, a long one alone', () => {
    expect(sentenceChunks([3, 4, 0, 2, 9, 1, 1], 7)).toEqual([
      [0, 3],
      [3, 4],
      [4, 5],
      [5, 7],
    ]);
    expect(sentenceChunks([], 7)).toEqual([]);
  });
});

describe('taggerFrom', () => {
  const training = [
    ['The', 'cat', 'sat', '.'],
    ['Dogs', 'bark', 'at', '3', 'cats', '!'],
    ['NASA', 'launched', 'it', 'in', '1990', '.'],
  ];
  const tags = ['DET', 'NOUN', 'NUM', 'PROPN', 'PUNCT', 'VERB'];
  const encoder = WordEncoder.fromTraining(
    training,
    WordInputSchema.parse({
      embeddingSize: 5,
      caseEmbeddingSize: 3,
      chars: { embeddingSize: 4, filters: 5, width: 3 },
    }),
  );

  function randomTagger(): { model: RnnModel; make: () => Tagger } {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: encoder.modelInput(
          WordInputSchema.parse({
            embeddingSize: 5,
            caseEmbeddingSize: 3,
            chars: { embeddingSize: 4, filters: 5, width: 3 },
          }),
        ),
        layers: [
          { cell: 'lstm', units: 6, bidirectional: 'concat' },
          { cell: 'lstm', units: 4, bidirectional: 'concat' },
        ],
        output: { size: tags.length },
      }),
    );
    const rng = createRng(3);
    for (const [name, variable] of model.params)
      model.setParam(
        name,
        Float32Array.from(
          { length: variable.shape.reduce((a, b) => a * b, 1) },
          () => rng.next() - 0.5,
        ),
      );
    return {
      model,
      make: () =>
        taggerFrom('/x/tagger', model, encoder, { task: 'pos', labels: tags, tagSet: 'upos' }),
    };
  }

  // Unseen words, a word longer than the char CNN reads (cut to its ends) beside short ones and
  // alone, an empty sentence.
  const sentences = [
    ['The', 'cat', 'barked', 'at', 'NASA', '.'],
    [],
    ['Antidisestablishmentarianism-related', 'dogs', 'sat'],
    ['Antidisestablishmentarianism-related'],
    ['1990', 'cats', '!', 'Zyx'],
  ];

  it.skipIf(!loadRnnNative().addon)(
    'tags on the native addon as on TF.js: the same tags, probabilities to 1e-5, unseen words',
    () => {
      const { model, make } = randomTagger();
      const native = make();
      expect(native.inference).toBe('native-packed');
      const got = native.tagSentences(sentences);
      const expected = withKernel('tfjs', () => {
        const tfjs = make();
        expect(tfjs.inference).toBe('tfjs');
        return tfjs.tagSentences(sentences);
      });
      expect(got.map((s) => s.map((w) => [w.tag, w.unseen, w.top.map((t) => t.tag)]))).toEqual(
        expected.map((s) => s.map((w) => [w.tag, w.unseen, w.top.map((t) => t.tag)])),
      );
      got.forEach((sentence, s) =>
        sentence.forEach((word, i) =>
          word.top.forEach((t, k) =>
            expect(
              Math.abs(t.probability - (expected[s]![i]!.top[k]!.probability as number)),
            ).toBeLessThan(1e-5),
          ),
        ),
      );
      expect(got[2]![0]!.unseen).toBe(true);
      expect(got[0]![1]!.unseen).toBe(false);
      const text = native.tagText('The cat barked. Zyx !');
      expect(text.tokens.map((t) => [t.text, t.start, t.end])).toEqual([
        ['The', 0, 3],
        ['cat', 4, 7],
        ['barked', 8, 14],
        ['.', 14, 15],
        ['Zyx', 16, 19],
        ['!', 20, 21],
      ]);
      expect(text.tokens.map((t) => t.tag)).toEqual([
        ...native.tagSentences([['The', 'cat', 'barked', '.']])[0]!.map((w) => w.tag),
        ...native.tagSentences([['Zyx', '!']])[0]!.map((w) => w.tag),
      ]);
      model.dispose();
    },
  );

  it.skipIf(!loadRnnNative().addon)(
    'tags more than a native call of tokens in pieces, as if sentence by sentence',
    () => {
      const { model, make } = randomTagger();
      const tagger = make();
      const rng = createRng(9);
      const words = ['The', 'cat', 'sat', 'Zyx', '1990', '!', 'dogs'];
      const many = Array.from({ length: Math.ceil(NATIVE_CALL_TOKENS / 9) + 40 }, () =>
        Array.from(
          { length: 1 + Math.floor(rng.next() * 17) },
          () => words[Math.floor(rng.next() * words.length)] as string,
        ),
      );
      expect(many.reduce((n, s) => n + s.length, 0)).toBeGreaterThan(NATIVE_CALL_TOKENS);
      const whole = tagger.tagSentences(many);
      expect(whole.map((s) => s.length)).toEqual(many.map((s) => s.length));
      // The first sentence and the last (of the second piece), each tagged alone: other batches,
      // so the same up to float rounding.
      for (const s of [0, many.length - 1]) {
        const alone = tagger.tagSentences([many[s]!])[0]!;
        expect(whole[s]!.map((w) => [w.tag, w.unseen])).toEqual(
          alone.map((w) => [w.tag, w.unseen]),
        );
        whole[s]!.forEach((word, i) =>
          word.top.forEach((t, k) =>
            expect(Math.abs(t.probability - alone[i]!.top[k]!.probability)).toBeLessThan(1e-5),
          ),
        );
      }
      model.dispose();
    },
  );
});
