import { z } from 'zod';
import type {
  CorpusOverview,
  CorpusSummary,
  EditOutcome,
  Page,
  SentenceRowData,
  SplitOutcome,
  AddedRecording,
  TierEditOutcome,
  UtteranceDetail,
  UtteranceRowData,
  VoiceInfo,
} from '../corpus';
import {
  AddRecordingSchema,
  CorpusEditSchema,
  CorpusNameSchema,
  PageSchema,
  SentenceFilterSchema,
  SplitRequestSchema,
  TierOperationSchema,
  UtteranceFilterSchema,
} from '../corpus';
import { event, none, request } from './define';

const CorpusRef = z.object({ corpus: CorpusNameSchema });

/**
 * The corpus area: reading and editing corpora in `<data>/corpora/`. Creating, validating and
 * exporting are long and run as jobs (`jobs:start` with the corpus-* kinds).
 */
export const corpusRequests = {
  'corpus:list': request<CorpusSummary[]>()(none),
  'corpus:overview': request<CorpusOverview>()(CorpusRef),
  'corpus:utterances': request<Page<UtteranceRowData>>()(
    z.object({
      corpus: CorpusNameSchema,
      filter: UtteranceFilterSchema.default({}),
      ...PageSchema,
    }),
  ),
  'corpus:sentences': request<Page<SentenceRowData>>()(
    z.object({ corpus: CorpusNameSchema, filter: SentenceFilterSchema.default({}), ...PageSchema }),
  ),
  'corpus:utterance': request<UtteranceDetail>()(
    z.object({ corpus: CorpusNameSchema, id: z.string().min(1).max(1000) }),
  ),
  'corpus:edit': request<EditOutcome>()(
    z.object({
      corpus: CorpusNameSchema,
      edit: CorpusEditSchema,
      /** The revision the UI showed; a different one on the server is CORPUS_CHANGED. */
      revision: z.number().int().min(0).optional(),
    }),
  ),
  /** A region edit on the `words` or `phones` tier of a recording's TextGrid: one undoable step. */
  'corpus:tier-edit': request<TierEditOutcome>()(
    z.object({
      corpus: CorpusNameSchema,
      recordingId: z.string().min(1).max(1000),
      tier: z.string().min(1).max(200),
      operation: TierOperationSchema,
      revision: z.number().int().min(0).optional(),
    }),
  ),
  'corpus:add-recording': request<AddedRecording>()(AddRecordingSchema),
  'corpus:undo': request<EditOutcome>()(CorpusRef),
  'corpus:redo': request<EditOutcome>()(CorpusRef),
  /** Drops the open session and reads the corpus again (after CORPUS_CHANGED). */
  'corpus:reload': request<CorpusOverview>()(CorpusRef),
  'corpus:split': request<SplitOutcome>()(
    z.object({ corpus: CorpusNameSchema, request: SplitRequestSchema, dryRun: z.boolean() }),
  ),
  'corpus:voices': request<VoiceInfo[]>()(none),
} as const;

export const corpusEvents = {
  /** A corpus was created, edited or removed: lists and open views refresh. */
  'corpus:changed': event<{ corpus: string; revision: number }>(),
} as const;
