/** The sequence-to-sequence presets (presets.ts lists them with every other task's). */
import type { z } from 'zod';
import type { Seq2seqConfigSchema } from './config/seq2seq-config';

/**
 * "seq2seq G2P, 2x256 LSTM encoder-decoder" (`seq2seq-g2p-lstm`): spelling -> phones on CMUdict
 * (`unfold corpus import --format cmudict`), the size of the LSTM encoder-decoders of the G2P
 * literature (Yao & Zweig 2015 used 1-2 layers of 512): 64-dim letter and phone embeddings, two
 * LSTM layers of 256, dropout 0.2, Adam 0.002, batches of 64 of similar length, early stopping
 * on the dev loss.
 * CMUdict comes as one split: the declared held-out rule divides it 81/9/10 by a hash of each
 * word, all its pronunciations together. Scored by word and phone error rates, beam 5.
 */
export function g2pLstm(corpus: string, name: string): z.input<typeof Seq2seqConfigSchema> {
  return {
    name,
    task: 'seq2seq',
    corpus,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    model: {
      layers: [
        { cell: 'lstm', units: 256 },
        { cell: 'lstm', units: 256 },
      ],
      sourceEmbeddingSize: 64,
      targetEmbeddingSize: 64,
      dropout: 0.2,
    },
    decoding: { beam: 5, lengthNormalization: 1 },
    scoring: 'g2p',
    training: {
      epochs: 12,
      batchSize: 64,
      optimizer: { kind: 'adam', learningRate: 0.002 },
      monitor: 'loss',
      clipNorm: 5,
      bucketing: true,
      earlyStoppingPatience: 3,
    },
    seed: 1,
  };
}

/**
 * "seq2seq pairs, 1x256 GRU encoder-decoder" (`seq2seq-gru`): any imported sentence pairs
 * (`--format pairs`), scored by BLEU and chrF: 128-dim embeddings on both sides, one GRU layer
 * of 256, dropout 0.2, Adam 0.001, beam 5 with per-symbol length normalisation.
 */
export function seq2seqGru(corpus: string, name: string): z.input<typeof Seq2seqConfigSchema> {
  return {
    name,
    task: 'seq2seq',
    corpus,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    model: {
      layers: [{ cell: 'gru', units: 256 }],
      sourceEmbeddingSize: 128,
      targetEmbeddingSize: 128,
      dropout: 0.2,
    },
    decoding: { beam: 5, lengthNormalization: 1 },
    scoring: 'translation',
    training: {
      epochs: 15,
      batchSize: 32,
      optimizer: { kind: 'adam', learningRate: 0.001 },
      monitor: 'loss',
      clipNorm: 5,
      bucketing: true,
      earlyStoppingPatience: 3,
    },
    seed: 1,
  };
}
