/**
 * Imports a text corpus for e2e tests as a user imports one: its files are written to a
 * temporary source folder and read by the corpus-import job (file names give the splits).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '@api/client-core';
import type { CORPUS_IMPORT_FORMATS } from '@api/corpus';
import { runJobsToSuccess } from './jobs';

/** Imports `files` (name and content) as the corpus `name`; the source files are removed after. */
export async function importTextFiles(
  client: ApiClient,
  name: string,
  format: (typeof CORPUS_IMPORT_FORMATS)[number],
  files: readonly [fileName: string, content: string][],
): Promise<void> {
  const sourceDir = await mkdtemp(join(tmpdir(), `unfold-e2e-${format}-`));
  try {
    const folder = join(sourceDir, name);
    await mkdir(folder);
    for (const [fileName, content] of files)
      await writeFile(join(folder, fileName), content, 'utf8');
    await runJobsToSuccess(client, {
      kind: 'corpus-import',
      params: { format, source: folder, out: name },
    });
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
}
