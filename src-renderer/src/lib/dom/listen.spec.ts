import { describe, expect, it } from 'vitest';
import { listen } from './listen';

interface TestEvents {
  ping: Event;
  pong: Event;
}

describe('listen', () => {
  it('adds every listener, and the returned function removes them all', () => {
    const target = new EventTarget();
    const heard: string[] = [];
    const stop = listen<TestEvents>(target, {
      ping: (event) => heard.push(`ping:${event.type}`),
      pong: () => heard.push('pong'),
    });
    target.dispatchEvent(new Event('ping'));
    target.dispatchEvent(new Event('pong'));
    expect(heard).toEqual(['ping:ping', 'pong']);
    stop();
    target.dispatchEvent(new Event('ping'));
    target.dispatchEvent(new Event('pong'));
    expect(heard).toEqual(['ping:ping', 'pong']);
  });
});
