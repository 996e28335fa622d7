import type { z } from 'zod';
import { appRequests } from './channels/app-channels';
import { corpusEvents, corpusRequests } from './channels/corpus-channels';
import { audioEvents, audioRequests } from './channels/audio-channels';
import { jobEvents, jobRequests } from './channels/job-channels';
import { experimentRequests } from './channels/experiment-channels';
import { liveEvents, liveRequests } from './channels/live-channels';
import { textRequests } from './channels/text-channels';
import { sentimentRequests } from './channels/sentiment-channels';
import { insideRequests } from './channels/inside-channels';
import { crossValidationRequests } from './channels/cross-validation-channels';
import { lmEvents, lmRequests } from './channels/lm-channels';
import { seq2seqRequests } from './channels/seq2seq-channels';
import { sweepEvents, sweepRequests } from './channels/sweep-channels';

/**
 * The one typed API of Unfold. Every request channel names its parameter schema (validated in
 * main before any handler runs) and its result type; every event channel names its payload.
 * Electron IPC and the `unfold serve` WebSocket both carry exactly this contract, and no
 * channel string appears anywhere else. Each area of the app declares its channels in its own
 * file under channels/; this file joins them.
 */
export const requests = {
  ...appRequests,
  ...jobRequests,
  ...corpusRequests,
  ...audioRequests,
  ...experimentRequests,
  ...liveRequests,
  ...textRequests,
  ...sentimentRequests,
  ...insideRequests,
  ...crossValidationRequests,
  ...lmRequests,
  ...seq2seqRequests,
  ...sweepRequests,
} as const;

export const events = {
  ...jobEvents,
  ...corpusEvents,
  ...audioEvents,
  ...liveEvents,
  ...lmEvents,
  ...sweepEvents,
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
