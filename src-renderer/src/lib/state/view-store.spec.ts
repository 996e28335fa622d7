import { describe, expect, it } from 'vitest';
import { keepViewStore } from './view-store';

describe('keepViewStore', () => {
  it('loads now and on every reconnect, and on release stops listening and disposes', () => {
    const calls: string[] = [];
    const listeners: (() => void)[] = [];
    const store = {
      load: (): Promise<void> => {
        calls.push('load');
        return Promise.resolve();
      },
      dispose: (): void => void calls.push('dispose'),
    };
    const connection = {
      onReconnect: (listener: () => void): (() => void) => {
        listeners.push(listener);
        return () => void calls.push('unlisten');
      },
    };
    const release = keepViewStore(store, connection);
    expect(calls).toEqual(['load']);
    listeners[0]?.();
    expect(calls).toEqual(['load', 'load']);
    release();
    expect(calls).toEqual(['load', 'load', 'unlisten', 'dispose']);
  });
});
