import { describe, expect, it } from 'vitest';
import { columnWidth, columnX, rightEdgePx, visibleFrames, type LiveAxis } from './live-timeline';

const tenMs: LiveAxis = { frameShiftSeconds: 0.01, hopSeconds: 0.01 };
const twentyMs: LiveAxis = { frameShiftSeconds: 0.01, hopSeconds: 0.02 };

describe('the live time axis', () => {
  it('puts posterior frame f under spectrogram frame f when both hop 10 ms', () => {
    expect(columnWidth(tenMs)).toBe(1);
    // The spectrogram has drawn 198 frames: frame 197 is the last pixel column (x = width - 1).
    const right = rightEdgePx(tenMs, 198, 150);
    expect(right).toBe(198);
    expect(columnX(tenMs, 197, right, 800)).toBe(799);
    expect(columnX(tenMs, 0, right, 800)).toBe(602);
  });

  it('scales columns when the model hops 20 ms', () => {
    expect(columnWidth(twentyMs)).toBe(2);
    // Posterior frame 10 starts at 0.2 s, the spectrogram's frame 20.
    const right = rightEdgePx(twentyMs, 100, 40);
    expect(columnX(twentyMs, 10, right, 500)).toBe(500 - 100 + 20);
  });

  it('follows whichever is ahead: posteriors are never held back for the spectrogram', () => {
    expect(rightEdgePx(tenMs, 100, 130)).toBe(130);
    expect(rightEdgePx(twentyMs, 100, 80)).toBe(160);
  });

  it('lists the frames on screen', () => {
    expect(visibleFrames(tenMs, 198, 800)).toEqual({ from: 0, to: 198 });
    expect(visibleFrames(tenMs, 1000, 800)).toEqual({ from: 200, to: 1000 });
    expect(visibleFrames(twentyMs, 1001, 800)).toEqual({ from: 100, to: 501 });
  });
});
