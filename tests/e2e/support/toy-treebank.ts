/**
 * A tiny tagged corpus for e2e tests: sentences of the toy grammar (tests/support/toy-grammar.ts)
 * written as CoNLL-U files, one per split, and imported into the app's data folder with the
 * corpus-import job, as a user imports a UD treebank.
 */
import type { ApiClient } from '@api/client-core';
import { formatConllu } from '../../../src-main/domain/corpus/formats/conllu';
import { toyConllu, type TaggedWord } from '../../support/toy-grammar';
import { importTextFiles } from './text-corpus-files';

/** Imports the splits' sentences as the corpus `name`. */
export async function importToyTreebank(
  client: ApiClient,
  name: string,
  splits: readonly [split: string, sentences: TaggedWord[][]][],
): Promise<void> {
  await importTextFiles(
    client,
    name,
    'conllu',
    splits.map(([split, sentences]) => [
      `${name}-ud-${split}.conllu`,
      formatConllu(toyConllu(sentences, split)),
    ]),
  );
}
