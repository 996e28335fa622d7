import { z } from 'zod';
import type { AppInfo, BackendStatus, DoctorReport } from './app';
import { JobSpecSchema, type JobInfo } from './jobs';

/**
 * The one typed API of Unfold. Every request channel names its parameter schema (validated in
 * main before any handler runs) and its result type; every event channel names its payload.
 * Electron IPC and the `unfold serve` WebSocket both carry exactly this contract, and no
 * channel string appears anywhere else.
 */

interface RequestDefinition<P extends z.ZodType, R> {
  params: P;
  /** Phantom: carries the result type only. */
  result?: R;
}

function request<R>(): <P extends z.ZodType>(params: P) => RequestDefinition<P, R> {
  return (params) => ({ params });
}

const none = z.undefined();
const JobIdSchema = z.object({ id: z.string().min(1).max(100) });

export const requests = {
  'app:info': request<AppInfo>()(none),
  'app:backend': request<BackendStatus>()(none),
  'app:doctor': request<DoctorReport>()(none),
  'jobs:list': request<JobInfo[]>()(none),
  'jobs:get': request<JobInfo>()(JobIdSchema),
  'jobs:start': request<JobInfo>()(JobSpecSchema),
  'jobs:cancel': request<JobInfo>()(JobIdSchema),
} as const;

interface EventDefinition<T> {
  payload?: T;
}

function event<T>(): EventDefinition<T> {
  return {};
}

export const events = {
  'jobs:updated': event<JobInfo>(),
} as const;

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;
export type RequestParams<C extends RequestChannel> = z.input<(typeof requests)[C]['params']>;
export type ValidatedParams<C extends RequestChannel> = z.output<(typeof requests)[C]['params']>;
export type RequestResult<C extends RequestChannel> = NonNullable<(typeof requests)[C]['result']>;
export type EventPayload<E extends EventChannel> = NonNullable<(typeof events)[E]['payload']>;

/** Arguments after the channel: optional when the channel takes no parameters. */
export type ParamsArgs<C extends RequestChannel> =
  undefined extends RequestParams<C> ? [params?: RequestParams<C>] : [params: RequestParams<C>];

export const REQUEST_CHANNELS = Object.keys(requests) as RequestChannel[];
export const EVENT_CHANNELS = Object.keys(events) as EventChannel[];

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && Object.hasOwn(requests, value);
}

export { IPC_EVENT, IPC_INVOKE, WEBSOCKET_PATH } from './transport-names';
