import { z } from 'zod';
import type { ApiErrorData } from '../errors';
import type {
  LivePosteriorsPayload,
  LiveStarted,
  LiveStatus,
  LiveStopped,
  LiveWordPayload,
} from '../live';
import { event, none, request } from './define';
import { RecordStartSchema } from './audio-channels';
import { ExperimentNameSchema } from './experiment-channels';

const ThresholdSchema = z.number().min(0).max(1);

export const LiveStartSchema = z.object({
  experiment: ExperimentNameSchema,
  /** Microphone settings, as for record:start. */
  device: RecordStartSchema.shape.device,
  program: RecordStartSchema.shape.program,
  vad: RecordStartSchema.shape.vad,
  maxSeconds: RecordStartSchema.shape.maxSeconds,
  /** Words mode: below this top probability the result is "not sure". */
  threshold: ThresholdSchema.default(0.5),
});

export const liveRequests = {
  'live:start': request<LiveStarted>()(LiveStartSchema),
  'live:stop': request<LiveStopped>()(none),
  'live:status': request<LiveStatus>()(none),
  'live:threshold': request<LiveStatus>()(z.object({ threshold: ThresholdSchema })),
} as const;

export const liveEvents = {
  'live:word': event<LiveWordPayload>(),
  'live:posteriors': event<LivePosteriorsPayload>(),
  'live:error': event<ApiErrorData>(),
  'live:stopped': event<LiveStopped>(),
} as const;
