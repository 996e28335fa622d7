// The contract's type pins: checked by `npm run typecheck` (tsconfig.node.json includes this file), where
// a pin that no longer holds is a tsc error. Vitest does not run it.
import { describe, expectTypeOf, it } from 'vitest';
import type { AppInfo, BackendStatus, DoctorReport } from '../../src-main/api/app';
import type { ApiClient } from '../../src-main/api/client-core';
import type {
  EventPayload,
  RequestChannel,
  RequestParams,
  RequestResult,
} from '../../src-main/api/contract';
import type { JobInfo } from '../../src-main/api/jobs';
import type {
  AudioAnalysis,
  AudioBytes,
  CaptureDeviceInfo,
  FramesPayload,
  LevelPayload,
  RecorderStatus,
  RecordingEntry,
  RecordingStarted,
  RecordingStopped,
  VadPayload,
} from '../../src-main/api/audio';
import type { ApiErrorData } from '../../src-main/api/errors';
import type {
  AddedRecording,
  CorpusOverview,
  CorpusSummary,
  EditOutcome,
  Page,
  SentenceRowData,
  SplitOutcome,
  TierEditOutcome,
  UtteranceDetail,
  UtteranceRowData,
  VoiceInfo,
} from '../../src-main/api/corpus';
import type {
  ExperimentDetail,
  ExperimentEvaluation,
  ExperimentListItem,
  ExperimentPreset,
  Posteriorgram,
} from '../../src-main/api/experiments';
import type {
  LivePosteriorsPayload,
  LiveStarted,
  LiveStatus,
  LiveStopped,
  LiveWordPayload,
} from '../../src-main/api/live';
import type { TaggedText } from '../../src-main/api/text';
import type { ClassifiedText } from '../../src-main/api/sentiment';
import type { Seq2seqTranslation } from '../../src-main/api/seq2seq';
import type { InsideDynamics, InsideTrace } from '../../src-main/api/inside';
import type { CrossValidationData } from '../../src-main/api/cross-validation';
import type {
  LmGeneratedPayload,
  LmGenerationStarted,
  LmGenerationStopped,
  LmPolysemy,
  LmReading,
  LmTokenIndexState,
  LmUnitPayload,
} from '../../src-main/api/lm';
import type { SweepData, SweepUpdatedData } from '../../src-main/api/sweeps';

// Pins every channel's signature: changing one is a deliberate edit of this file.
describe('the API contract', () => {
  it('lists exactly these request channels', () => {
    expectTypeOf<RequestChannel>().toEqualTypeOf<
      | 'app:info'
      | 'app:backend'
      | 'app:doctor'
      | 'jobs:list'
      | 'jobs:get'
      | 'jobs:start'
      | 'jobs:cancel'
      | 'audio:devices'
      | 'audio:recordings'
      | 'audio:open'
      | 'audio:bytes'
      | 'audio:import'
      | 'record:start'
      | 'record:pause'
      | 'record:resume'
      | 'record:stop'
      | 'record:status'
      | 'corpus:list'
      | 'corpus:overview'
      | 'corpus:utterances'
      | 'corpus:sentences'
      | 'corpus:utterance'
      | 'corpus:edit'
      | 'corpus:tier-edit'
      | 'corpus:add-recording'
      | 'corpus:undo'
      | 'corpus:redo'
      | 'corpus:reload'
      | 'corpus:split'
      | 'corpus:voices'
      | 'experiments:list'
      | 'experiments:get'
      | 'experiments:evaluation'
      | 'experiments:presets'
      | 'experiments:posteriorgram'
      | 'live:start'
      | 'live:stop'
      | 'live:status'
      | 'live:threshold'
      | 'text:tag'
      | 'sentiment:classify'
      | 'inside:trace'
      | 'inside:dynamics'
      | 'experiments:cross-validation'
      | 'experiments:cross-validations'
      | 'lm:read'
      | 'lm:generate'
      | 'lm:stop'
      | 'lm:polysemy'
      | 'lm:token-index'
      | 'seq2seq:translate'
      | 'sweeps:list'
      | 'sweeps:get'
      | 'sweeps:start'
      | 'sweeps:stop'
      | 'sweeps:resume'
    >();
  });

  it('types each request', () => {
    expectTypeOf<RequestParams<'text:tag'>>().toEqualTypeOf<{ experiment: string; text: string }>();
    expectTypeOf<RequestResult<'text:tag'>>().toEqualTypeOf<TaggedText>();
    expectTypeOf<RequestParams<'sentiment:classify'>>().toEqualTypeOf<{
      experiment: string;
      text: string;
    }>();
    expectTypeOf<RequestResult<'sentiment:classify'>>().toEqualTypeOf<ClassifiedText>();
    expectTypeOf<RequestParams<'seq2seq:translate'>>().toEqualTypeOf<{
      experiment: string;
      text: string;
      beam?: number | undefined;
    }>();
    expectTypeOf<RequestResult<'seq2seq:translate'>>().toEqualTypeOf<Seq2seqTranslation>();
    expectTypeOf<RequestResult<'inside:trace'>>().toEqualTypeOf<InsideTrace>();
    expectTypeOf<
      RequestResult<'inside:trace'>['layers'][number]['gradNorm']
    >().toEqualTypeOf<Float32Array>();
    // An encoder-decoder's second sequence: each layer names its own, the trace carries both.
    expectTypeOf<RequestResult<'inside:trace'>['layers'][number]['sequence']>().toEqualTypeOf<
      'source' | 'target' | undefined
    >();
    expectTypeOf<NonNullable<RequestResult<'inside:trace'>['target']>>().toEqualTypeOf<{
      steps: number;
      axis: { kind: 'tokens'; tokens: string[] };
      attention: Float32Array | null;
    }>();
    expectTypeOf<RequestParams<'inside:trace'>['input']>().toEqualTypeOf<
      | { kind: 'text'; text: string }
      | { kind: 'utterance'; corpus?: string | undefined; utterance: string }
      | { kind: 'wav'; path: string }
    >();
    expectTypeOf<RequestResult<'inside:dynamics'>>().toEqualTypeOf<InsideDynamics>();
    expectTypeOf<RequestParams<'experiments:cross-validation'>>().toEqualTypeOf<{
      name: string;
    }>();
    expectTypeOf<
      RequestResult<'experiments:cross-validation'>
    >().toEqualTypeOf<CrossValidationData>();
    expectTypeOf<RequestParams<'experiments:cross-validations'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'experiments:cross-validations'>>().toEqualTypeOf<
      CrossValidationData[]
    >();
    expectTypeOf<RequestParams<'experiments:list'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'experiments:list'>>().toEqualTypeOf<ExperimentListItem[]>();
    expectTypeOf<RequestResult<'experiments:list'>[number]['status']>().toEqualTypeOf<
      'done' | 'training' | 'cancelled' | 'failed' | 'incomplete'
    >();
    expectTypeOf<RequestResult<'experiments:list'>[number]['epochs']>().toEqualTypeOf<
      number | null
    >();
    expectTypeOf<RequestParams<'experiments:get'>>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<RequestResult<'experiments:get'>>().toEqualTypeOf<ExperimentDetail>();
    expectTypeOf<RequestParams<'experiments:evaluation'>>().toEqualTypeOf<{
      name: string;
      split: string;
      corpus?: string | undefined;
    }>();
    expectTypeOf<RequestResult<'experiments:evaluation'>>().toEqualTypeOf<ExperimentEvaluation>();
    expectTypeOf<RequestParams<'experiments:presets'>>().toEqualTypeOf<{ corpus: string }>();
    expectTypeOf<RequestResult<'experiments:presets'>>().toEqualTypeOf<ExperimentPreset[]>();
    expectTypeOf<RequestParams<'experiments:posteriorgram'>>().toEqualTypeOf<
      | { name: string; split: string; corpus?: string | undefined; utteranceId: string }
      | { name: string; path: string }
    >();
    expectTypeOf<RequestResult<'experiments:posteriorgram'>>().toEqualTypeOf<Posteriorgram>();
    expectTypeOf<
      RequestResult<'experiments:posteriorgram'>['posteriors']
    >().toEqualTypeOf<Float32Array>();
    expectTypeOf<RequestParams<'app:info'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'app:info'>>().toEqualTypeOf<AppInfo>();
    expectTypeOf<RequestResult<'app:backend'>>().toEqualTypeOf<BackendStatus>();
    expectTypeOf<RequestResult<'app:doctor'>>().toEqualTypeOf<DoctorReport>();
    expectTypeOf<RequestResult<'jobs:list'>>().toEqualTypeOf<JobInfo[]>();
    // Views match jobs to experiments and corpora by subject, never by title.
    expectTypeOf<RequestResult<'jobs:list'>[number]['subject']>().toEqualTypeOf<{
      kind: 'experiment' | 'corpus';
      name: string;
    } | null>();
    expectTypeOf<RequestParams<'jobs:get'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RequestResult<'jobs:get'>>().toEqualTypeOf<JobInfo>();
    expectTypeOf<RequestParams<'jobs:cancel'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RequestResult<'jobs:start'>>().toEqualTypeOf<JobInfo>();
    expectTypeOf<Extract<RequestParams<'jobs:start'>, { kind: 'selftest' }>>().toEqualTypeOf<{
      kind: 'selftest';
      params?:
        | { steps?: number; units?: number; timeSteps?: number; batch?: number; seed?: number }
        | undefined;
    }>();
  });

  it('types each audio request', () => {
    expectTypeOf<RequestParams<'audio:devices'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'audio:devices'>>().toEqualTypeOf<CaptureDeviceInfo[]>();
    expectTypeOf<RequestResult<'audio:recordings'>>().toEqualTypeOf<RecordingEntry[]>();
    expectTypeOf<RequestParams<'audio:open'>>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<RequestResult<'audio:open'>>().toEqualTypeOf<AudioAnalysis>();
    expectTypeOf<RequestParams<'audio:bytes'>>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<RequestResult<'audio:bytes'>>().toEqualTypeOf<AudioBytes>();
    expectTypeOf<RequestParams<'audio:import'>>().toEqualTypeOf<{
      name: string;
      bytes: Uint8Array<ArrayBuffer>;
    }>();
    expectTypeOf<RequestResult<'audio:import'>>().toEqualTypeOf<RecordingEntry>();
    expectTypeOf<RequestParams<'record:start'>>().toEqualTypeOf<{
      device?: string | undefined;
      sampleRate?: number | undefined;
      program?: 'arecord' | 'rec' | 'sox' | undefined;
      maxSeconds?: number | undefined;
      vad?:
        | false
        | {
            startThresholdDbfs?: number | undefined;
            endThresholdDbfs?: number | undefined;
            hangoverMs?: number | undefined;
          }
        | undefined;
    }>();
    expectTypeOf<RequestResult<'record:start'>>().toEqualTypeOf<RecordingStarted>();
    expectTypeOf<RequestResult<'record:pause'>>().toEqualTypeOf<RecorderStatus>();
    expectTypeOf<RequestResult<'record:resume'>>().toEqualTypeOf<RecorderStatus>();
    expectTypeOf<RequestResult<'record:status'>>().toEqualTypeOf<RecorderStatus>();
    expectTypeOf<RequestResult<'record:stop'>>().toEqualTypeOf<RecordingStopped>();
  });

  it('types each event', () => {
    expectTypeOf<EventPayload<'jobs:updated'>>().toEqualTypeOf<JobInfo>();
    expectTypeOf<EventPayload<'record:state'>>().toEqualTypeOf<RecorderStatus>();
    expectTypeOf<EventPayload<'record:level'>>().toEqualTypeOf<LevelPayload>();
    expectTypeOf<EventPayload<'record:vad'>>().toEqualTypeOf<VadPayload>();
    expectTypeOf<EventPayload<'record:frames'>>().toEqualTypeOf<FramesPayload>();
    expectTypeOf<EventPayload<'record:frames'>['data']>().toEqualTypeOf<Float32Array>();
    expectTypeOf<EventPayload<'record:error'>>().toEqualTypeOf<ApiErrorData>();
    expectTypeOf<EventPayload<'record:stopped'>>().toEqualTypeOf<RecordingStopped>();
  });

  it('types each live request and event', () => {
    expectTypeOf<RequestParams<'live:start'>['experiment']>().toEqualTypeOf<string>();
    expectTypeOf<RequestParams<'live:start'>['threshold']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RequestResult<'live:start'>>().toEqualTypeOf<LiveStarted>();
    expectTypeOf<RequestParams<'live:stop'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'live:stop'>>().toEqualTypeOf<LiveStopped>();
    expectTypeOf<RequestResult<'live:status'>>().toEqualTypeOf<LiveStatus>();
    expectTypeOf<RequestParams<'live:threshold'>>().toEqualTypeOf<{ threshold: number }>();
    expectTypeOf<RequestResult<'live:threshold'>>().toEqualTypeOf<LiveStatus>();
    expectTypeOf<EventPayload<'live:word'>>().toEqualTypeOf<LiveWordPayload>();
    expectTypeOf<EventPayload<'live:posteriors'>>().toEqualTypeOf<LivePosteriorsPayload>();
    expectTypeOf<EventPayload<'live:posteriors'>['posteriors']>().toEqualTypeOf<Float32Array>();
    expectTypeOf<EventPayload<'live:error'>>().toEqualTypeOf<ApiErrorData>();
    expectTypeOf<EventPayload<'live:stopped'>>().toEqualTypeOf<LiveStopped>();
  });

  it('types each language-model request and event', () => {
    expectTypeOf<RequestParams<'lm:read'>>().toEqualTypeOf<{
      experiment: string;
      text: string;
      top?: number | undefined;
    }>();
    expectTypeOf<RequestResult<'lm:read'>>().toEqualTypeOf<LmReading>();
    expectTypeOf<RequestParams<'lm:generate'>>().toEqualTypeOf<{
      id: string;
      experiment: string;
      prompt?: string | undefined;
      units: number;
      temperature?: number | undefined;
      topK?: number | null | undefined;
      topP?: number | null | undefined;
      seed?: number | undefined;
    }>();
    expectTypeOf<RequestResult<'lm:generate'>>().toEqualTypeOf<LmGenerationStarted>();
    expectTypeOf<RequestParams<'lm:stop'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RequestResult<'lm:stop'>>().toEqualTypeOf<LmGenerationStopped>();
    expectTypeOf<RequestParams<'lm:polysemy'>>().toEqualTypeOf<{
      experiment: string;
      first: string;
      second: string;
      word?: string | null;
      neighbours?: number;
    }>();
    expectTypeOf<RequestResult<'lm:polysemy'>>().toEqualTypeOf<LmPolysemy>();
    expectTypeOf<RequestParams<'lm:token-index'>>().toEqualTypeOf<{ experiment: string }>();
    expectTypeOf<RequestResult<'lm:token-index'>>().toEqualTypeOf<LmTokenIndexState>();
    expectTypeOf<EventPayload<'lm:unit'>>().toEqualTypeOf<LmUnitPayload>();
    expectTypeOf<EventPayload<'lm:generated'>>().toEqualTypeOf<LmGeneratedPayload>();
  });

  it('types each sweep request and event', () => {
    // A queue as a page names it: never a password (main reads it from its environment).
    type QueueParams = {
      url: string;
      passwordSource?: 'environment' | 'none' | undefined;
      serveHost?: string | undefined;
      advertiseHost?: string | undefined;
      sharedData?: boolean | undefined;
    };
    expectTypeOf<RequestResult<'sweeps:list'>>().toEqualTypeOf<SweepData[]>();
    expectTypeOf<RequestParams<'sweeps:get'>>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<RequestResult<'sweeps:start'>>().toEqualTypeOf<SweepData>();
    expectTypeOf<RequestParams<'sweeps:start'>>().toEqualTypeOf<{
      name: string;
      spec: Record<string, unknown>;
      workers?: number | undefined;
      replace?: boolean | undefined;
      queue?: QueueParams | undefined;
    }>();
    expectTypeOf<RequestParams<'sweeps:resume'>>().toEqualTypeOf<{
      name: string;
      workers?: number | undefined;
      queue?: QueueParams | undefined;
    }>();
    expectTypeOf<RequestResult<'sweeps:stop'>>().toEqualTypeOf<SweepData>();
    expectTypeOf<EventPayload<'sweeps:updated'>>().toEqualTypeOf<SweepUpdatedData>();
  });

  it('makes the client check arguments and results', () => {
    const client = {} as ApiClient;
    expectTypeOf(client.invoke<'app:info'>).parameters.toEqualTypeOf<['app:info', undefined?]>();
    expectTypeOf(client.invoke<'jobs:get'>).parameters.toEqualTypeOf<
      ['jobs:get', { id: string }]
    >();
    expectTypeOf(client.invoke<'jobs:get'>).returns.toEqualTypeOf<Promise<JobInfo>>();
  });
});

describe('the corpus channels', () => {
  it('types each corpus request and event', () => {
    expectTypeOf<RequestParams<'corpus:list'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'corpus:list'>>().toEqualTypeOf<CorpusSummary[]>();
    expectTypeOf<RequestResult<'corpus:overview'>>().toEqualTypeOf<CorpusOverview>();
    expectTypeOf<RequestParams<'corpus:overview'>>().toEqualTypeOf<{ corpus: string }>();
    expectTypeOf<RequestResult<'corpus:utterances'>>().toEqualTypeOf<Page<UtteranceRowData>>();
    expectTypeOf<RequestParams<'corpus:utterances'>['offset']>().toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf<RequestResult<'corpus:sentences'>>().toEqualTypeOf<Page<SentenceRowData>>();
    expectTypeOf<RequestResult<'corpus:utterance'>>().toEqualTypeOf<UtteranceDetail>();
    expectTypeOf<RequestResult<'corpus:utterance'>['wav']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<RequestResult<'corpus:edit'>>().toEqualTypeOf<EditOutcome>();
    expectTypeOf<RequestResult<'corpus:tier-edit'>>().toEqualTypeOf<TierEditOutcome>();
    expectTypeOf<RequestResult<'corpus:add-recording'>>().toEqualTypeOf<AddedRecording>();
    expectTypeOf<RequestResult<'corpus:undo'>>().toEqualTypeOf<EditOutcome>();
    expectTypeOf<RequestResult<'corpus:redo'>>().toEqualTypeOf<EditOutcome>();
    expectTypeOf<RequestResult<'corpus:reload'>>().toEqualTypeOf<CorpusOverview>();
    expectTypeOf<RequestResult<'corpus:split'>>().toEqualTypeOf<SplitOutcome>();
    expectTypeOf<RequestParams<'corpus:split'>['dryRun']>().toEqualTypeOf<boolean>();
    expectTypeOf<RequestResult<'corpus:voices'>>().toEqualTypeOf<VoiceInfo[]>();
    expectTypeOf<EventPayload<'corpus:changed'>>().toEqualTypeOf<{
      corpus: string;
      revision: number;
    }>();
    expectTypeOf<
      Extract<RequestParams<'jobs:start'>, { kind: 'corpus-validate' }>
    >().toEqualTypeOf<{
      kind: 'corpus-validate';
      params: { corpus: string; checkAudio?: boolean | undefined };
    }>();
  });
});
