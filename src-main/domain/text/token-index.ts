/**
 * A biLM's index of the tokens of a reference corpus, for the polysemy view's nearest
 * neighbours: every token of a split's sentences (up to MAX_TOKEN_INDEX_TOKENS, whole sentences)
 * as its mixed contextual vector (the plain average of its layers, as `unfold embed --layer mix`
 * gives it) scaled to length 1, so that a query's cosine with every token is one dot product.
 * Built once as a job with progress and cancellation, kept beside the biLM's model as two task
 * files (experiment-records: writeTaskFile, atomic): the vectors as a float32 .npy [tokens,
 * size], written first, then the record naming the corpus, the biLM's weights and the sentences.
 * A retrained biLM has a new model folder, so its old index goes with the old model.
 */
import { z } from 'zod';
import { MAX_TOKEN_INDEX_TOKENS } from '../../api/lm';
import type { Corpus } from '../corpus/model';
import { decodeNpy, encodeNpy } from '../audio/npy';
import { UnfoldError, throwIfAborted } from '../errors';
import { readTaskFile, writeTaskFile } from '../experiments/experiment-records';
import type { LongOperationOptions } from '../jobs/progress';
import type { BidirectionalLm } from './contextual-embeddings';
import type { ContextualLayers } from './lm/bilm-steps';
import { lmSentencesOf } from './lm/lm-text';
import type { LmUnitRule } from './lm/lm-text';
import type { UnitRows } from './polysemy';
import { unitVector } from './polysemy';
import { parseStoredJson } from './stored-json';

export { MAX_TOKEN_INDEX_TOKENS };

export const TOKEN_INDEX_FILES = {
  vectors: 'token-index.npy',
  record: 'token-index.json',
} as const;

const TokenIndexRecordSchema = z.object({
  format: z.literal('unfold-token-index'),
  version: z.literal(1),
  corpus: z.string(),
  split: z.string(),
  /** The biLM's weights the vectors came from. */
  weightsSha256: z.string(),
  /** What each row is: the mix of the token's layers. */
  layer: z.literal('mix'),
  tokens: z.number().int().nonnegative(),
  size: z.number().int().positive(),
  /** Sentences of the corpus left out to keep within the limit. */
  sentencesLeftOut: z.number().int().nonnegative(),
  /** The indexed sentences as words; the rows are their tokens in order. */
  sentences: z.array(z.array(z.string())),
});
export type TokenIndexRecord = z.infer<typeof TokenIndexRecordSchema>;

export interface TokenIndex {
  record: TokenIndexRecord;
  rows: UnitRows;
  /** Row -> [sentence, position in it]. */
  places: Int32Array;
}

/** Sentences read by the biLM between two progress reports (and chances to cancel). */
const SENTENCES_PER_STEP = 32;

/** The whole sentences that fit in `maxTokens`, in order. */
export function sentencesWithin(
  sentences: readonly (readonly string[])[],
  maxTokens: number,
): { kept: (readonly string[])[]; tokens: number } {
  const kept: (readonly string[])[] = [];
  let tokens = 0;
  for (const sentence of sentences) {
    if (tokens + sentence.length > maxTokens) break;
    kept.push(sentence);
    tokens += sentence.length;
  }
  return { kept, tokens };
}

/** Unit-length mix vectors of every token of `sentences`, row after row. */
export async function indexVectors(
  lm: Pick<BidirectionalLm, 'layersOf' | 'layers' | 'size'>,
  sentences: readonly (readonly string[])[],
  tokens: number,
  { onProgress, signal }: LongOperationOptions = {},
): Promise<Float32Array> {
  const values = new Float32Array(tokens * lm.size);
  let row = 0;
  for (let first = 0; first < sentences.length; first += SENTENCES_PER_STEP) {
    throwIfAborted(signal);
    const group = sentences.slice(first, first + SENTENCES_PER_STEP);
    for (const layers of lm.layersOf(group)) row = addMixRows(values, row, layers);
    onProgress?.({
      fraction: row / Math.max(1, tokens),
      message: `indexed ${row.toLocaleString('en')} of ${tokens.toLocaleString('en')} tokens`,
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return values;
}

function addMixRows(values: Float32Array, row: number, layers: ContextualLayers): number {
  const { size } = layers;
  for (let t = 0; t < layers.tokens; t++) {
    const mix = new Float32Array(size);
    for (let l = 0; l < layers.layers; l++) {
      const base = (t * layers.layers + l) * size;
      for (let d = 0; d < size; d++)
        mix[d] = (mix[d] as number) + (layers.values[base + d] as number);
    }
    values.set(unitVector(mix), (row + t) * size);
  }
  return row + layers.tokens;
}

/**
 * Builds the index of a biLM experiment (its folder) over a split of a text corpus and keeps it
 * beside the model. `rule` is how the biLM cuts text into words (its config's).
 */
export async function buildTokenIndex(
  dir: string,
  lm: BidirectionalLm,
  corpus: Corpus,
  split: string,
  rule: LmUnitRule,
  options: LongOperationOptions & { maxTokens?: number } = {},
): Promise<TokenIndexRecord> {
  if (corpus.data.kind === 'text' && !corpus.data.splits.has(split))
    throw new UnfoldError(
      'CORPUS_SPLIT_MISSING',
      `${corpus.manifest.name} has no split "${split}" (it has ${[...corpus.data.splits.keys()].join(', ')}).`,
    );
  const all = lmSentencesOf(corpus, { splits: [split] }, rule).sentences.map((s) => s.units);
  const { kept, tokens } = sentencesWithin(all, options.maxTokens ?? MAX_TOKEN_INDEX_TOKENS);
  if (tokens === 0)
    throw new UnfoldError(
      'TOKEN_INDEX_EMPTY',
      `The split "${split}" of ${corpus.manifest.name} has no sentence to index${all.length > 0 ? ` within ${(options.maxTokens ?? MAX_TOKEN_INDEX_TOKENS).toLocaleString('en')} tokens` : ''}.`,
    );
  const values = await indexVectors(lm, kept, tokens, options);
  const record: TokenIndexRecord = {
    format: 'unfold-token-index',
    version: 1,
    corpus: corpus.manifest.name,
    split,
    weightsSha256: lm.weightsSha256,
    layer: 'mix',
    tokens,
    size: lm.size,
    sentencesLeftOut: all.length - kept.length,
    sentences: kept.map((s) => [...s]),
  };
  throwIfAborted(options.signal);
  await writeTaskFile(
    dir,
    TOKEN_INDEX_FILES.vectors,
    encodeNpy({ data: values, frames: tokens, dims: lm.size }),
  );
  await writeTaskFile(
    dir,
    TOKEN_INDEX_FILES.record,
    new TextEncoder().encode(JSON.stringify(record)),
  );
  return record;
}

/**
 * The index kept beside a biLM, or null when none was built; refused, saying to build it
 * again, when it is of other weights or its two files disagree.
 */
export async function readTokenIndex(
  dir: string,
  weightsSha256: string,
): Promise<TokenIndex | null> {
  const recordBytes = await readTaskFile(dir, TOKEN_INDEX_FILES.record);
  if (!recordBytes) return null;
  const name = `${TOKEN_INDEX_FILES.record} of ${dir}`;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(recordBytes));
  } catch (error) {
    throw new UnfoldError(
      'TOKEN_INDEX_INVALID',
      `${name}: not JSON (${(error as Error).message}).`,
    );
  }
  const record = parseStoredJson(TokenIndexRecordSchema, value, name, 'token index');
  const stale = (why: string): never => {
    throw new UnfoldError('TOKEN_INDEX_STALE', `The token index of ${dir} ${why}: build it again.`);
  };
  if (record.weightsSha256 !== weightsSha256) stale('was built with other weights of the biLM');
  const vectorBytes = await readTaskFile(dir, TOKEN_INDEX_FILES.vectors);
  if (!vectorBytes) return stale(`has no ${TOKEN_INDEX_FILES.vectors}`);
  const matrix = decodeNpy(vectorBytes, `${TOKEN_INDEX_FILES.vectors} of ${dir}`);
  const counted = record.sentences.reduce((n, s) => n + s.length, 0);
  if (matrix.frames !== record.tokens || matrix.dims !== record.size || counted !== record.tokens)
    stale(
      `has ${matrix.frames} vectors of ${matrix.dims} for ${record.tokens} tokens of ${record.size}`,
    );
  const places = new Int32Array(record.tokens * 2);
  let row = 0;
  record.sentences.forEach((sentence, s) =>
    sentence.forEach((_, position) => {
      places[row * 2] = s;
      places[row * 2 + 1] = position;
      row++;
    }),
  );
  return { record, rows: { count: matrix.frames, size: matrix.dims, values: matrix.data }, places };
}
