import type { EventChannel, RequestChannel } from './contract';
import type { ResponseEnvelope } from './envelope';

/** The one object the Electron preload exposes to the renderer, as `window.unfold`. */
export interface UnfoldBridge {
  call(channel: RequestChannel, params: unknown): Promise<ResponseEnvelope>;
  subscribe(listener: (event: EventChannel, payload: unknown) => void): () => void;
}

export const BRIDGE_NAME = 'unfold';
