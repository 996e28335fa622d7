import { ApiError } from './errors';
import type { ResponseEnvelope } from './envelope';
import type {
  EventChannel,
  EventPayload,
  ParamsArgs,
  RequestChannel,
  RequestResult,
} from './contract';

export type TransportKind = 'electron' | 'websocket';
export type RawEventListener = (event: EventChannel, payload: unknown) => void;

/** What a transport must do: carry one call and deliver events. It never throws for API errors. */
export interface RawTransport {
  readonly kind: TransportKind;
  call(channel: RequestChannel, params: unknown): Promise<ResponseEnvelope>;
  subscribe(listener: RawEventListener): () => void;
}

/** The typed client the renderer (and tests) use; the same on every transport. */
export interface ApiClient {
  readonly transport: TransportKind;
  invoke<C extends RequestChannel>(channel: C, ...args: ParamsArgs<C>): Promise<RequestResult<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(transport: RawTransport): ApiClient {
  return {
    transport: transport.kind,
    async invoke(channel, ...args) {
      const response = await transport.call(channel, args[0]);
      if (!response.ok) throw new ApiError(response.error);
      return response.result as RequestResult<typeof channel>;
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      });
    },
  };
}
