/**
 * A tiny trained G2P model for the tests that use one: a made-up spelling -> ARPAbet dictionary
 * (b -> P, d -> T, a -> AA1, o -> UW1, one phone per letter), so a word CMUdict lacks such as
 * "dobado" gets phones the synthesisers' letter-to-sound rules would not give; a GRU
 * encoder-decoder learns it in a few seconds.
 */
import { join } from 'node:path';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import { createRng } from '../../src-main/domain/rnn/random';
import { trainExperiment } from './builtin-experiments';

/** A word CMUdict lacks, spelt with the toy dictionary's letters. */
export const TOY_G2P_WORD = 'dobado';
const PHONES: Record<string, string> = { b: 'P', d: 'T', a: 'AA1', o: 'UW1' };

/** Made-up words of 2-6 letters with their pronunciations (seeded). */
export function toyG2pPairs(count: number, seed: number): { source: string; target: string }[] {
  const rng = createRng(seed);
  const letters = Object.keys(PHONES);
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(rng.next() * 5);
    const word = Array.from(
      { length },
      () => letters[Math.floor(rng.next() * letters.length)] as string,
    ).join('');
    return { source: word, target: [...word].map((c) => PHONES[c]).join(' ') };
  });
}

/** Writes the toy dictionary corpus `corpus` and trains the G2P experiment `name` on it. */
export async function trainToyG2p(
  dataDir: string,
  name: string,
  corpus = 'toy-dict',
): Promise<void> {
  await createTextCorpus(
    join(dataDir, 'corpora', corpus),
    new Map(
      Object.entries({ train: 300, dev: 20, test: 20 }).map(([split, n], k) => [
        split,
        { format: 'pairs' as const, pairs: toyG2pPairs(n, k + 1) },
      ]),
    ),
    {
      name: corpus,
      format: 'pairs',
      sourcePath: 'generated',
      pairLevels: { source: 'characters', target: 'tokens' },
    },
  );
  await trainExperiment(
    {
      name,
      task: 'seq2seq',
      corpus,
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      model: {
        layers: [{ cell: 'gru', units: 32 }],
        sourceEmbeddingSize: 8,
        targetEmbeddingSize: 8,
      },
      decoding: { beam: 2, lengthNormalization: 1 },
      scoring: 'g2p',
      training: { epochs: 40, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
      seed: 3,
    },
    { dataDir, outDir: join(dataDir, 'experiments', name) },
  );
}
