/**
 * A tiny tagged corpus for e2e tests: sentences of the toy grammar (tests/support/toy-grammar.ts)
 * written as CoNLL-U files, one per split, and imported into the app's data folder with the
 * corpus-import job, as a user imports a UD treebank.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '@api/client-core';
import { formatConllu } from '../../../src-main/domain/corpus/formats/conllu';
import { toyConllu, type TaggedWord } from '../../support/toy-grammar';
import { runJobsToSuccess } from './jobs';

/** Imports the splits' sentences as the corpus `name`; the source files are removed after. */
export async function importToyTreebank(
  client: ApiClient,
  name: string,
  splits: readonly [split: string, sentences: TaggedWord[][]][],
): Promise<void> {
  const sourceDir = await mkdtemp(join(tmpdir(), 'unfold-e2e-conllu-'));
  try {
    const folder = join(sourceDir, name);
    await mkdir(folder);
    for (const [split, sentences] of splits)
      await writeFile(
        join(folder, `${name}-ud-${split}.conllu`),
        formatConllu(toyConllu(sentences, split)),
        'utf8',
      );
    await runJobsToSuccess(client, {
      kind: 'corpus-import',
      params: { format: 'conllu', source: folder, out: name },
    });
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
}
