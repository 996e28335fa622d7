/**
 * The source formats `importCorpus` reads, one importer each. Plain data with no imports: the
 * API's schemas and the renderer's import dialog use it too.
 */
export const CORPUS_IMPORT_FORMATS = [
  'folders',
  'pattern',
  'kaldi',
  'textgrid',
  'audacity',
  'conllu',
  'brown',
  'polarity',
  'text-folders',
  'tsv',
  'text',
  'moby-dick',
  'pairs',
  'cmudict',
] as const;
