import { describe, expect, it } from 'vitest';
import { drawnLatencyMs, LatencyWindow } from './latency-window';

describe('drawnLatencyMs', () => {
  it("adds main's processing time to the time from sending to drawing", () => {
    expect(drawnLatencyMs({ latencyMs: 12, sentAt: 1_000 }, 1_030)).toBe(42);
  });

  it('never counts a negative transit (clock jitter) against the processing time', () => {
    expect(drawnLatencyMs({ latencyMs: 12, sentAt: 1_000 }, 998)).toBe(12);
  });
});

describe('LatencyWindow', () => {
  it('has no summary before the first value', () => {
    expect(new LatencyWindow().summary()).toBeNull();
  });

  it('gives the last value and the median over the window, odd and even', () => {
    const window = new LatencyWindow(10);
    for (const ms of [30, 10, 20]) window.push(ms);
    expect(window.summary()).toEqual({
      last: 20,
      median: 20,
      count: 3,
      overBudget: false,
      lastOverBudget: false,
    });
    window.push(50);
    expect(window.summary()).toMatchObject({ last: 50, median: 25, count: 4 });
  });

  it('forgets values beyond its size, so the median follows recent batches', () => {
    const window = new LatencyWindow(3);
    for (const ms of [500, 500, 500, 10, 20, 30]) window.push(ms);
    expect(window.summary()).toMatchObject({ median: 20, count: 3, overBudget: false });
  });

  it('flags a median over the budget, ignores non-finite values and resets', () => {
    const window = new LatencyWindow(5, 100);
    window.push(90);
    window.push(Number.NaN);
    window.push(150);
    expect(window.summary()).toMatchObject({ median: 120, overBudget: true });
    window.push(10);
    window.push(20);
    window.push(130);
    expect(window.summary()).toMatchObject({ median: 90, overBudget: false, lastOverBudget: true });
    window.push(160);
    expect(window.summary()).toMatchObject({ median: 130, count: 5, overBudget: true });
    window.reset();
    expect(window.summary()).toBeNull();
  });
});
