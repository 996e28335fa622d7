/**
 * Word vectors for a text model's vocabulary from a word2vec or GloVe text file the user chose:
 * read once (only the vocabulary's words are kept), with the coverage reported.
 */
import { isAbsolute, resolve } from 'node:path';
import { UnfoldError } from '../errors';
import type { WordInput } from '../experiments/config/text-config';
import type { TaskDataOptions } from '../experiments/experiment-task';
import type { EmbeddingCoverage } from './embedding-file';
import { embeddingTable, readEmbeddingFile } from './embedding-file';
import type { WordEncoder } from './word-encoder';

export async function loadPretrainedVectors(
  encoder: WordEncoder,
  input: WordInput,
  options: TaskDataOptions,
  seed = 1,
): Promise<{ table: Float32Array; coverage: EmbeddingCoverage & { file: string } } | null> {
  if (!input.pretrained) return null;
  // A relative name is a file of the data folder; an absolute one was typed by the user (the
  // job layer refuses absolute names from clients).
  const file = isAbsolute(input.pretrained.file)
    ? input.pretrained.file
    : resolve(options.dataDir, input.pretrained.file);
  const vocabulary = encoder.vocabulary;
  // Keep a file's word when it is a vocabulary word, or the lower case of one (GloVe is lower-cased).
  const lowered = new Set<string>();
  for (let id = 2; id < vocabulary.size; id++) lowered.add(vocabulary.word(id).toLowerCase());
  const read = await readEmbeddingFile(file, {
    wanted: (word) => vocabulary.has(word) || lowered.has(word),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (read.dimension !== input.embeddingSize)
    throw new UnfoldError(
      'EMBEDDING_SIZE_MISMATCH',
      `${file} has ${read.dimension}-dimensional vectors but the config asks for words.embeddingSize ${input.embeddingSize}: set it to ${read.dimension}.`,
    );
  const { table, coverage } = embeddingTable(vocabulary, read.vectors, read.dimension, { seed });
  return { table, coverage: { ...coverage, file } };
}
