/**
 * A tiny labelled-sentence corpus for e2e tests: the toy sentiment language
 * (tests/support/toy-sentiment.ts) written as `label<TAB>text` files, one per split, and
 * imported with the corpus-import job, as a user imports a TSV corpus.
 */
import type { ApiClient } from '@api/client-core';
import { formatTsv, type LabelledText } from '../../../src-main/domain/corpus/formats/tsv';
import { importTextFiles } from './text-corpus-files';

/** Imports the splits' sentences as the corpus `name`. */
export async function importToyReviews(
  client: ApiClient,
  name: string,
  splits: readonly [split: string, items: LabelledText[]][],
): Promise<void> {
  await importTextFiles(
    client,
    name,
    'tsv',
    splits.map(([split, items]) => [`${name}-${split}.tsv`, formatTsv(items)]),
  );
}
