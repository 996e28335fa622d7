import type { EventChannel, EventPayload } from '../api/contract';

export type EventListener = (event: EventChannel, payload: EventPayload<EventChannel>) => void;

/** Fans events out to every connected transport (Electron windows, WebSocket clients). */
export interface EventHub {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
