/**
 * The corpus domain's public surface, for the IPC layer and the CLI. Plain Node: no electron.
 */
export { validateCorpus } from './validate';
export type { ValidationReport, ValidateOptions } from './validate';
export { importCorpus } from './import/import-corpus';
export { CORPUS_IMPORT_FORMATS } from './import/import-formats';
export type { ImportFormat, ImportRequest, ImportResult } from './import/import-corpus';
export { exportKaldi, exportTextGrids, exportText } from './export/exporters';
export { synthesiseWords } from './synth/synth-words';
export type { SynthWordsOptions } from './synth/synth-words';
export { synthesiseSentences } from './synth/synth-sentences';
export type { SynthSentencesOptions } from './synth/synth-sentences';
export { availableVoices } from './synth/voices';
export { CorpusSession, corpusStats } from './session';
export type {
  CorpusEdit,
  CorpusStats,
  SentenceRow,
  UtteranceFilter,
  UtteranceRow,
} from './session';
export { splitCorpus } from './split-corpus';
export type { SplitRequest, SplitResult } from './split-corpus';
export { readCorpus } from './store/read-corpus';
export { corpusOutputDir, findCorpusDir } from './corpus-paths';
export * as tierEdits from './tier-edits';
export { readPhoneFolding, foldPhones } from './phone-folding';
export type { Corpus, CorpusData, Recording, Utterance } from './model';
export type { CorpusManifest } from './manifest';
