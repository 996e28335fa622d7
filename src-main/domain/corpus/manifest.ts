import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UnfoldError } from '../errors';
import { PAIR_LEVELS } from './formats/pairs';
import { decodeUtf8 } from './formats/utf8';

/** Bumped when the on-disk layout changes in a way older readers would misread. */
export const CORPUS_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'corpus.json';

/** The working audio format every speech corpus is converted to once, on import. */
export const WORKING_AUDIO = { sampleRate: 16000, channels: 1, bitDepth: 16 } as const;

export const CORPUS_TASKS = [
  'word-classification',
  'phone-recognition',
  'speech-recognition',
  'pos-tagging',
  'sentence-classification',
  'language-modelling',
  'sequence-to-sequence',
] as const;

const SplitMethodSchema = z.object({
  /** speaker: no speaker in two splits; convention: the data set's own rule; given: as imported. */
  method: z.enum(['speaker', 'convention', 'given']),
  seed: z.number().int().optional(),
  fractions: z.record(z.string(), z.number()).optional(),
  convention: z.string().optional(),
});

export const CorpusManifestSchema = z.object({
  formatVersion: z.literal(CORPUS_FORMAT_VERSION),
  name: z.string().min(1).max(200),
  kind: z.enum(['speech', 'text']),
  /** Text corpora only: which of the three text formats the `text/` folder holds. */
  textFormat: z.enum(['conllu', 'tsv', 'plain', 'pairs']).optional(),
  /** Pairs corpora: how each side is cut into symbols (absent: tokens on both sides). */
  pairLevels: z.object({ source: z.enum(PAIR_LEVELS), target: z.enum(PAIR_LEVELS) }).optional(),
  tasks: z.array(z.enum(CORPUS_TASKS)),
  /** The label set: words of an isolated-word set, UPOS tags, sentence classes. Sorted. */
  labels: z.array(z.string()),
  /** Phone inventory of the `phones` tiers, e.g. "arpabet" (see resources/phones-61-48-39.tsv). */
  phoneSet: z.string().nullable(),
  splits: z.array(z.string().regex(/^[A-Za-z0-9_.]+$/)).min(1),
  audio: z
    .object({
      sampleRate: z.literal(WORKING_AUDIO.sampleRate),
      channels: z.literal(1),
      bitDepth: z.literal(16),
    })
    .optional(),
  split: SplitMethodSchema.optional(),
  source: z
    .object({ format: z.string(), path: z.string(), pattern: z.string().optional() })
    .optional(),
  /**
   * Synthesised sentences made with a G2P model: the words the pronouncing dictionary lacked and
   * the phones the named experiment gave each (instead of the synthesiser's letter-to-sound rules).
   */
  g2p: z.object({ experiment: z.string(), words: z.record(z.string(), z.string()) }).optional(),
  created: z.iso.datetime(),
  modified: z.iso.datetime(),
  /** Incremented by every committed change; a writer holding an older revision is refused. */
  revision: z.number().int().nonnegative(),
});

export type CorpusManifest = z.infer<typeof CorpusManifestSchema>;
export type SplitMethod = z.infer<typeof SplitMethodSchema>;

export function parseManifest(content: string, file: string): CorpusManifest {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new UnfoldError('CORPUS_PARSE', `${file}: not valid JSON (${(error as Error).message})`, {
      file,
      line: 0,
    });
  }
  const result = CorpusManifestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new UnfoldError(
      'CORPUS_PARSE',
      `${file}: ${where ? `"${where}": ` : ''}${issue?.message ?? 'invalid manifest'}`,
      { file, line: 0 },
    );
  }
  return result.data;
}

export async function readManifest(dir: string): Promise<CorpusManifest> {
  const file = join(dir, MANIFEST_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UnfoldError(
        'CORPUS_NOT_FOUND',
        `${dir} is not a corpus: it has no ${MANIFEST_FILE}.`,
      );
    }
    throw error;
  }
  return parseManifest(decodeUtf8(bytes, file), file);
}

export function newManifest(
  fields: Pick<CorpusManifest, 'name' | 'kind' | 'tasks' | 'labels' | 'phoneSet' | 'splits'> &
    Partial<CorpusManifest>,
  now: Date = new Date(),
): CorpusManifest {
  const stamp = now.toISOString();
  return {
    formatVersion: CORPUS_FORMAT_VERSION,
    created: stamp,
    modified: stamp,
    revision: 0,
    ...fields,
  };
}
