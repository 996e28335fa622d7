import { describe, expect, it } from 'vitest';
import {
  columnWidth,
  columnX,
  frameAtX,
  frameCentreSeconds,
  rightEdgePx,
  visibleFrames,
  type LiveAxis,
} from './live-timeline';

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

  describe('the frame under the pointer', () => {
    it('inverts columnX for every pixel of every column', () => {
      for (const axis of [tenMs, twentyMs, { frameShiftSeconds: 0.01, hopSeconds: 0.016 }]) {
        const width = 300;
        const right = rightEdgePx(axis, 420, 0);
        const { from, to } = visibleFrames(axis, right, width);
        for (let frame = from; frame < to; frame++) {
          const left = Math.round(columnX(axis, frame, right, width));
          const end = Math.round(columnX(axis, frame + 1, right, width));
          for (let pixel = Math.max(0, left); pixel < Math.min(width, end); pixel++) {
            expect(frameAtX(axis, pixel + 0.5, right, width, 0, 10_000)).toBe(frame);
            expect(frameAtX(axis, pixel, right, width, 0, 10_000)).toBe(frame);
          }
        }
      }
    });

    it('maps the right edge to the newest frame and the left to the oldest on screen', () => {
      // 198 frames drawn on 800 px: frame 197 at x 799, frame 0 at x 602, nothing left of it.
      const right = rightEdgePx(tenMs, 198, 198);
      expect(frameAtX(tenMs, 799.9, right, 800, 0, 198)).toBe(197);
      expect(frameAtX(tenMs, 602, right, 800, 0, 198)).toBe(0);
      expect(frameAtX(tenMs, 601.5, right, 800, 0, 198)).toBe(-1);
      // 2 s of 20 ms columns on 500 px: x 499 is frame 99, x 480 frame 90.
      expect(frameAtX(twentyMs, 499, 200, 500, 0, 100)).toBe(99);
      expect(frameAtX(twentyMs, 480, 200, 500, 0, 100)).toBe(90);
    });

    it('says -1 off the canvas, beyond the newest frame and before the oldest kept', () => {
      expect(frameAtX(tenMs, -1, 1000, 800, 0, 1000)).toBe(-1);
      expect(frameAtX(tenMs, 800, 1000, 800, 0, 1000)).toBe(-1);
      // The spectrogram is ahead of the posteriors: its newest pixels have no column yet.
      expect(frameAtX(tenMs, 799, 1000, 800, 0, 990)).toBe(-1);
      expect(frameAtX(tenMs, 789, 1000, 800, 0, 990)).toBe(989);
      // The feed keeps frames from 500 on.
      expect(frameAtX(tenMs, 250, 1000, 800, 500, 1000)).toBe(-1);
      expect(frameAtX(tenMs, 300, 1000, 800, 500, 1000)).toBe(500);
    });

    it('times a frame at its centre', () => {
      expect(frameCentreSeconds(tenMs, 0)).toBeCloseTo(0.0125, 10);
      expect(frameCentreSeconds(twentyMs, 10)).toBeCloseTo(0.2125, 10);
      expect(frameCentreSeconds(tenMs, 100, 0.04)).toBeCloseTo(1.02, 10);
    });
  });
});
