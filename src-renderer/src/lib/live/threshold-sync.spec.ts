import { describe, expect, it } from 'vitest';
import { LatestValueSender, thresholdFromSlider } from './threshold-sync';

describe('thresholdFromSlider', () => {
  it('clamps to [0, 1] on a 0.01 grid and rejects what is not a number', () => {
    expect(thresholdFromSlider(0.99)).toBe(0.99);
    expect(thresholdFromSlider(0.123456)).toBe(0.12);
    expect(thresholdFromSlider(1.5)).toBe(1);
    expect(thresholdFromSlider(-0.2)).toBe(0);
    expect(thresholdFromSlider(Number.NaN)).toBeNull();
  });
});

/** A fake server whose answers the test releases one at a time. */
function deferredServer(): {
  received: number[];
  answer(): void;
  send(value: number): Promise<void>;
} {
  const received: number[] = [];
  const waiting: (() => void)[] = [];
  return {
    received,
    answer: () => waiting.shift()?.(),
    send: (value) =>
      new Promise<void>((resolve) => {
        received.push(value);
        waiting.push(resolve);
      }),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('LatestValueSender', () => {
  it('keeps one request in flight and then sends only the newest value', async () => {
    const server = deferredServer();
    const sender = new LatestValueSender(server.send, () => undefined);
    void sender.push(0.5);
    void sender.push(0.6);
    void sender.push(0.7);
    const done = sender.push(0.99);
    await tick();
    expect(server.received).toEqual([0.5]);
    server.answer();
    await tick();
    expect(server.received).toEqual([0.5, 0.99]);
    server.answer();
    await done;
    expect(sender.sent).toBe(2);
    await sender.idle();
  });

  it('reports a failed request and goes on with the next value', async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const sender = new LatestValueSender(
      (value) => {
        sent.push(value);
        return value < 0.5 ? Promise.reject(new Error('LIVE_IDLE')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    await sender.push(0.2);
    await sender.push(0.8);
    expect(sent).toEqual([0.2, 0.8]);
    expect(errors).toHaveLength(1);
  });

  it('drops a queued value when cleared', async () => {
    const server = deferredServer();
    const sender = new LatestValueSender(server.send, () => undefined);
    void sender.push(0.3);
    void sender.push(0.4);
    sender.clear();
    server.answer();
    await sender.idle();
    expect(server.received).toEqual([0.3]);
  });
});
