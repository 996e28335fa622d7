import type { ChildProcess } from 'node:child_process';
import { RecorderService } from '../../domain/audio/recorder';
import type { BackendInfo } from '../../domain/backend/tf-backend';
import type { JobRunner } from '../../domain/jobs/job-runner';
import type { EventHub } from '../event-hub';
import type { RequestChannel } from '../../api/contract';
import type { RequestHandlers } from '../dispatcher';
import { RecognizerCache } from '../recognizer-cache';
import { RecordingSession } from '../recording/recording-session';

/** What every area's handlers may use: the app's shared services, passed in. */
export interface HandlerContext {
  dataDir: string;
  version: string;
  env: NodeJS.ProcessEnv;
  electronVersion: string | null;
  events: EventHub;
  jobs: JobRunner;
  backend: () => Promise<BackendInfo>;
  /** The microphone recorder; tests pass one with a fake `record`. Default: a real one. */
  recorder?: RecorderService;
  /** Starts one job process (a sweep's local pool runs its runs in such processes). */
  spawnJobProcess?: () => ChildProcess;
}

/** The handlers of one area: a subset of the channels, each typed by the contract. */
export type AreaHandlers<C extends RequestChannel> = Pick<RequestHandlers, C>;

const recordingSessions = new WeakMap<HandlerContext, RecordingSession>();

/**
 * The one RecordingSession of an app, shared by the Record and Live handlers (made on first
 * use from the context's recorder), so that only one of them holds the microphone and both
 * views see the same record:* events.
 */
export function recordingSessionOf(context: HandlerContext): RecordingSession {
  let session = recordingSessions.get(context);
  if (!session) {
    session = new RecordingSession(
      context.recorder ?? new RecorderService({ env: context.env }),
      context.dataDir,
      context.events,
    );
    recordingSessions.set(context, session);
  }
  return session;
}

const recognizerCaches = new WeakMap<HandlerContext, RecognizerCache>();

/**
 * The app's loaded recognisers by experiment folder (reloaded when the model files change),
 * shared by every handler that runs a trained model, so a model is loaded once.
 */
export function recognizerCacheOf(context: HandlerContext): RecognizerCache {
  let cache = recognizerCaches.get(context);
  if (!cache) {
    cache = new RecognizerCache();
    recognizerCaches.set(context, cache);
  }
  return cache;
}
