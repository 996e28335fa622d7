import type { ApiErrorData } from './errors';
import type { EventChannel, EventPayload, RequestChannel, RequestResult } from './contract';

/** What a handler call becomes on any transport: a result or error data, never a thrown error. */
export type ResponseEnvelope<C extends RequestChannel = RequestChannel> =
  { ok: true; result: RequestResult<C> } | { ok: false; error: ApiErrorData };

/** WebSocket frames (MessagePack-encoded, see wire.ts). */
export type ClientFrame = { type: 'request'; id: number; channel: string; params: unknown };
export type ServerFrame =
  | { type: 'response'; id: number; response: ResponseEnvelope }
  | { type: 'event'; event: EventChannel; payload: EventPayload<EventChannel> };
