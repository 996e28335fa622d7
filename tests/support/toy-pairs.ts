/** Toy sequence pairs for the seq2seq tests: short letter strings and their reversals. */
import { join } from 'node:path';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { createRng } from '../../src-main/domain/rnn/random';

/** `count` strings of 2-4 letters from `alphabet`, each paired with itself reversed (seeded). */
export function reversalPairs(
  count: number,
  seed: number,
  alphabet = 'abcd',
): { source: string; target: string }[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(rng.next() * 3);
    const source = Array.from(
      { length },
      () => alphabet[Math.floor(rng.next() * alphabet.length)] as string,
    ).join('');
    return { source, target: [...source].reverse().join('') };
  });
}

/** The pairs as `source<TAB>target` lines. */
export function pairLines(pairs: readonly { source: string; target: string }[]): string {
  return pairs.map((p) => `${p.source}\t${p.target}\n`).join('');
}

/** Writes the corpus `name` of letter pairs under `dataDir`, one split per entry of `splits`. */
export async function createReversalCorpus(
  dataDir: string,
  name: string,
  splits: Record<string, readonly { source: string; target: string }[]>,
): Promise<void> {
  await createTextCorpus(
    join(dataDir, 'corpora', name),
    new Map<string, TextSplit>(
      Object.entries(splits).map(([split, pairs]) => [
        split,
        { format: 'pairs', pairs: [...pairs] },
      ]),
    ),
    {
      name,
      format: 'pairs',
      sourcePath: 'generated',
      pairLevels: { source: 'characters', target: 'characters' },
    },
  );
}

/**
 * A tiny encoder-decoder that learns to reverse the letters of `corpus` (4-dim letter
 * embeddings, Adam 0.02, batches of 8, seed 3); tested on `test`, with `dev` when the corpus
 * has one.
 */
export function reverserConfig(
  name: string,
  corpus: string,
  options: {
    cell: 'lstm' | 'gru';
    units: number;
    attention: 'none' | 'additive';
    beam: number;
    epochs: number;
    dev: boolean;
  },
): Record<string, unknown> {
  return {
    name,
    task: 'seq2seq',
    corpus,
    data: {
      train: { splits: ['train'] },
      dev: options.dev ? { splits: ['dev'] } : null,
      test: { splits: ['test'] },
    },
    model: {
      layers: [{ cell: options.cell, units: options.units }],
      attention: options.attention,
      sourceEmbeddingSize: 4,
      targetEmbeddingSize: 4,
    },
    decoding: { beam: options.beam, lengthNormalization: 1 },
    scoring: 'g2p',
    training: {
      epochs: options.epochs,
      batchSize: 8,
      optimizer: { kind: 'adam', learningRate: 0.02 },
    },
    seed: 3,
  };
}
