import { describe, expect, it } from 'vitest';
import type { HeatmapMatrix } from '../plot/heatmap';
import {
  cropMatrix,
  frameAtTime,
  frameCentre,
  playWindow,
  spanPixels,
  utteranceSpan,
  waveformColumns,
} from './inspect-geometry';

describe('the inspector time axis', () => {
  it('takes the segment clipped to the file, else the whole file', () => {
    expect(utteranceSpan(null, 2)).toEqual({ start: 0, end: 2 });
    expect(utteranceSpan({ start: 0.5, end: 1.5 }, 2)).toEqual({ start: 0.5, end: 1.5 });
    expect(utteranceSpan({ start: 1.5, end: 3 }, 2)).toEqual({ start: 1.5, end: 2 });
  });

  it('crops a matrix to the frames of a stretch, frame 0 at its start', () => {
    // 10 frames of 2 dims, value = frame index.
    const data = Float32Array.from({ length: 20 }, (_, i) => Math.floor(i / 2));
    const matrix: HeatmapMatrix = {
      data,
      frames: 10,
      dims: 2,
      frameShiftSeconds: 0.01,
      frameLengthSeconds: 0.025,
    };
    const cropped = cropMatrix(matrix, { start: 0.03, end: 0.08 });
    // Frames 3.. whose window ends by 0.08 s: 3 (0.03-0.055) .. 5 (0.05-0.075).
    expect(cropped.frames).toBe(3);
    expect(Array.from(cropped.data)).toEqual([3, 3, 4, 4, 5, 5]);
    expect(cropMatrix(matrix, { start: 0, end: 1 }).frames).toBe(10);
    expect(cropMatrix(matrix, { start: 0.2, end: 0.3 }).frames).toBe(0);
  });

  it('maps peaks to pixel columns of a stretch', () => {
    // 4 buckets per second: [max, min] = [0.1, -0.1], [0.5, -0.2], [0.3, -0.9], [0.2, -0.2].
    const peaks = Float32Array.from([0.1, -0.1, 0.5, -0.2, 0.3, -0.9, 0.2, -0.2]);
    const whole = waveformColumns(peaks, 4, { start: 0, end: 1 }, 2);
    expect(Array.from(whole.max)).toEqual([0.5, 0.3].map(Math.fround));
    expect(Array.from(whole.min)).toEqual([-0.2, -0.9].map(Math.fround));
    const zoomed = waveformColumns(peaks, 4, { start: 0.5, end: 0.75 }, 4);
    expect(Array.from(zoomed.max)).toEqual(Array(4).fill(Math.fround(0.3)));
  });

  it('finds the frame under a time and its centre', () => {
    expect(frameAtTime(0.0125, 0.01, 0.0125, 10)).toBe(0);
    expect(frameAtTime(0.051, 0.01, 0.0125, 10)).toBe(4);
    expect(frameAtTime(0.2, 0.01, 0.0125, 10)).toBe(-1);
    expect(frameAtTime(0, 0.01, 0.0125, 10)).toBe(0);
    expect(frameCentre(4, 0.01, 0.0125)).toBeCloseTo(0.0525, 12);
  });

  it('plays 300 ms around a click, kept inside the utterance', () => {
    expect(playWindow(1, 2).start).toBeCloseTo(0.85, 12);
    expect(playWindow(1, 2).end).toBeCloseTo(1.15, 12);
    expect(playWindow(0.05, 2)).toEqual({ start: 0, end: 0.3 });
    expect(playWindow(1.99, 2).end).toBe(2);
    expect(playWindow(0.1, 0.2)).toEqual({ start: 0, end: 0.2 });
  });

  it('places a span in pixels', () => {
    expect(spanPixels(0.5, 1, 2, 400)).toEqual({ left: 100, width: 100 });
    expect(spanPixels(0, 1, 0, 400)).toEqual({ left: 0, width: 0 });
  });
});
