import type { RecorderService } from '../../domain/audio/recorder';
import type { BackendInfo } from '../../domain/backend/tf-backend';
import type { JobRunner } from '../../domain/jobs/job-runner';
import type { EventHub } from '../event-hub';
import type { RequestChannel } from '../../api/contract';
import type { RequestHandlers } from '../dispatcher';

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
}

/** The handlers of one area: a subset of the channels, each typed by the contract. */
export type AreaHandlers<C extends RequestChannel> = Pick<RequestHandlers, C>;
