/**
 * The language-model tests' toy data: a plain-text corpus of the toy grammar's sentences, and
 * the tiny bidirectional LM (ELMo-style) the Text and Train view tests train in seconds.
 */
import { join } from 'node:path';
import { createTextCorpus } from '../../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../../src-main/domain/corpus/model';
import { toySentences } from '../../support/toy-grammar';

/** Sentences per split and the seed that draws them. */
export type ToySplitSizes = Record<'train' | 'dev' | 'test', { count: number; seed: number }>;

/** Writes `<data>/corpora/<name>`: the toy grammar's sentences as plain lines, per split. */
export async function createToyTextCorpus(
  dataDir: string,
  name: string,
  sizes: ToySplitSizes,
): Promise<void> {
  const splits = new Map<string, TextSplit>(
    Object.entries(sizes).map(([split, { count, seed }]) => [
      split,
      {
        format: 'plain',
        lines: toySentences(count, seed).map((words) => words.map((w) => w.form).join(' ')),
      },
    ]),
  );
  await createTextCorpus(join(dataDir, 'corpora', name), splits, {
    name,
    format: 'plain',
    sourcePath: 'generated',
  });
}

/**
 * A tiny biLM's config: 8-dim words and a 4-filter character CNN, one LSTM of 12 per
 * direction, one epoch; `data` names the corpus's splits it reads.
 */
export function toyBilmConfig(
  name: string,
  corpus: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  return {
    name,
    task: 'lm',
    corpus,
    data,
    words: { minCount: 1, embeddingSize: 8, chars: { embeddingSize: 4, filters: 4, width: 3 } },
    model: { direction: 'bidirectional', layers: [{ cell: 'lstm', units: 12 }] },
    training: {
      epochs: 1,
      batchSize: 4,
      optimizer: { kind: 'adam', learningRate: 0.02 },
      bptt: { kind: 'truncated', window: 10 },
      clipNorm: 5,
    },
    baseline: null,
    seed: 4,
  };
}
