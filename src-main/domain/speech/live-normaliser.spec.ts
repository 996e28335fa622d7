import { describe, expect, it } from 'vitest';
import { normaliseUtterance } from '../audio/cmvn';
import { RunningCmvn } from './live-normaliser';

describe('RunningCmvn', () => {
  it('uses the prior at first and converges to per-utterance CMVN over a long stream', () => {
    const frames = 5000;
    const data = Float32Array.from({ length: frames * 2 }, (_, i) =>
      i % 2 === 0 ? 10 + Math.sin(i) * 3 : -5 + Math.cos(i * 0.7),
    );
    const running = new RunningCmvn(2, [0, 0], [1, 1], 10);
    const first = running.apply({ data: data.slice(0, 2), frames: 1, dims: 2 });
    // One frame against a prior of 10 frames at mean 0: the mean is pulled only a little towards x.
    expect(first.data[0]).toBeGreaterThan(0);
    const rest = running.apply({ data: data.slice(2), frames: frames - 1, dims: 2 });
    const reference = normaliseUtterance({ data, frames, dims: 2 });
    const t = frames - 2;
    const error = (u: number, d: number): number =>
      Math.abs((rest.data[u * 2 + d] as number) - (reference.data[(u + 1) * 2 + d] as number));
    // The prior's pull fades as frames accumulate: large early, small at the end.
    expect(error(5, 0)).toBeGreaterThan(error(t, 0));
    expect(error(t, 0)).toBeLessThan(0.1);
    expect(error(t, 1)).toBeLessThan(0.1);
  });
});
