import { z } from 'zod';
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
} from '../audio';
import type { ApiErrorData } from '../errors';
import { DataNameSchema, DataPathSchema } from '../names';
import { event, none, request } from './define';

/** Uploads cross the socket in one frame (64 MB); this leaves room for the envelope. */
export const MAX_IMPORT_BYTES = 60 * 1024 * 1024;

export const RecordStartSchema = z.object({
  device: z.string().min(1).max(200).optional(),
  sampleRate: z.number().int().min(8_000).max(96_000).default(16_000),
  program: z.enum(['arecord', 'rec', 'sox']).default('arecord'),
  /** Stop by itself after this much audio. */
  maxSeconds: z.number().positive().max(3_600).optional(),
  /** Voice-activity detection; false turns it off. */
  vad: z
    .union([
      z.literal(false),
      z
        .object({
          startThresholdDbfs: z.number().min(-120).max(0).optional(),
          endThresholdDbfs: z.number().min(-120).max(0).optional(),
          hangoverMs: z.number().int().min(10).max(5_000).optional(),
        })
        .refine(
          (vad) =>
            vad.startThresholdDbfs === undefined ||
            vad.endThresholdDbfs === undefined ||
            vad.endThresholdDbfs <= vad.startThresholdDbfs,
          { message: 'the end threshold must not be above the start threshold' },
        ),
    ])
    .default({}),
});

export const audioRequests = {
  'audio:devices': request<CaptureDeviceInfo[]>()(none),
  'audio:recordings': request<RecordingEntry[]>()(none),
  'audio:open': request<AudioAnalysis>()(z.object({ path: DataPathSchema })),
  'audio:bytes': request<AudioBytes>()(z.object({ path: DataPathSchema })),
  'audio:import': request<RecordingEntry>()(
    z.object({
      /** The uploaded file's own name: it becomes `imports/<name>`. */
      name: DataNameSchema,
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_IMPORT_BYTES, {
        message: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
      }),
    }),
  ),
  'record:start': request<RecordingStarted>()(RecordStartSchema),
  'record:pause': request<RecorderStatus>()(none),
  'record:resume': request<RecorderStatus>()(none),
  'record:stop': request<RecordingStopped>()(none),
  'record:status': request<RecorderStatus>()(none),
} as const;

export const audioEvents = {
  'record:state': event<RecorderStatus>(),
  'record:level': event<LevelPayload>(),
  'record:vad': event<VadPayload>(),
  'record:frames': event<FramesPayload>(),
  'record:error': event<ApiErrorData>(),
  'record:stopped': event<RecordingStopped>(),
} as const;
