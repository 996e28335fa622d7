import { describe, expect, it } from 'vitest';
import { ViewLifetime } from './view-lifetime';

/** A fake event source that counts attached listeners, like the API client's `on`. */
function emitter(): { on(): () => void; attached: () => number } {
  let attached = 0;
  return {
    on: () => {
      attached++;
      let done = false;
      return () => {
        if (!done) attached--;
        done = true;
      };
    },
    attached: () => attached,
  };
}

function lifetime(): { view: ViewLifetime; stops: () => number } {
  let stops = 0;
  const view = new ViewLifetime(() => {
    stops++;
    return Promise.reject(new Error('LIVE_IDLE'));
  });
  return { view, stops: () => stops };
}

describe('ViewLifetime', () => {
  it('detaches every listener on dispose, once, and stops nothing when no session runs', () => {
    const events = emitter();
    const { view, stops } = lifetime();
    view.hold(events.on(), events.on(), events.on());
    expect(events.attached()).toBe(3);
    view.dispose(false);
    view.dispose(false);
    expect(events.attached()).toBe(0);
    expect(view.listeners).toBe(0);
    expect(stops()).toBe(0);
  });

  it('stops a running session it started, swallowing LIVE_IDLE', async () => {
    const { view, stops } = lifetime();
    view.dispose(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stops()).toBe(1);
  });

  it('stops a session whose start answers after the view was left', () => {
    const { view, stops } = lifetime();
    expect(view.startAnswered()).toBe(false);
    view.dispose(true);
    expect(stops()).toBe(1);
    expect(view.startAnswered()).toBe(true);
    expect(stops()).toBe(2);
  });

  it('does not leak listeners held after dispose (a late subscription)', () => {
    const events = emitter();
    const { view } = lifetime();
    view.dispose(false);
    view.hold(events.on());
    expect(events.attached()).toBe(0);
  });

  it('leaves no listener behind over many open/close cycles', () => {
    const events = emitter();
    for (let i = 0; i < 50; i++) {
      const { view } = lifetime();
      view.hold(events.on(), events.on());
      view.dispose(i % 2 === 0);
    }
    expect(events.attached()).toBe(0);
  });
});
