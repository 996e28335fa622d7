import { describe, expect, it } from 'vitest';
import { centredColumns, columnEdge, frameAtColumn, rowAtY, rowEdge } from './cell-grid';

describe('row geometry', () => {
  it('splits the height into whole-pixel rows that tile it exactly', () => {
    const edges = [0, 1, 2, 3].map((row) => rowEdge(row, 3, 100));
    expect(edges).toEqual([0, 33, 67, 100]);
    expect(rowAtY(0, 3, 100)).toBe(0);
    expect(rowAtY(50, 3, 100)).toBe(1);
    expect(rowAtY(99.9, 3, 100)).toBe(2);
    expect(rowAtY(140, 3, 100)).toBe(2);
    expect(rowAtY(-5, 3, 100)).toBe(0);
    expect(rowAtY(10, 0, 100)).toBe(-1);
  });

  it('maps every pixel row back to the row drawn there, also where edges round up', () => {
    // 3 rows on 122 px: edges 0, 41 (40.67 rounded up), 81, 122. Pixel 40 belongs to row 0,
    // which a plain floor(y * rows / height) = floor(0.98) gets right but pixel 81 (row 2,
    // floor(1.99) = 1) it gets wrong.
    expect(rowAtY(40, 3, 122)).toBe(0);
    expect(rowAtY(81, 3, 122)).toBe(2);
    for (const [rows, height] of [
      [3, 122],
      [47, 420],
      [61, 240],
      [80, 160],
      [45, 7],
    ] as const) {
      for (let y = 0; y < height; y++) {
        const row = rowAtY(y + 0.7, rows, height);
        expect(rowEdge(row, rows, height)).toBeLessThanOrEqual(y);
        expect(rowEdge(row + 1, rows, height)).toBeGreaterThan(y);
      }
    }
  });
});

describe('frame columns', () => {
  it('finds the frame painted at a pixel: the last one whose rounded left edge is at or before it', () => {
    // 2.5 px columns from x0 = 3: edges 3, 6 (5.5 rounds up), 8, 11, 13.
    expect([0, 1, 2, 3, 4].map((f) => columnEdge(f, 3, 2.5))).toEqual([3, 6, 8, 11, 13]);
    expect(frameAtColumn(3, 3, 2.5)).toBe(0);
    expect(frameAtColumn(5.9, 3, 2.5)).toBe(0);
    expect(frameAtColumn(6, 3, 2.5)).toBe(1);
    expect(frameAtColumn(12.99, 3, 2.5)).toBe(3);
    // Before frame 0: negative.
    expect(frameAtColumn(2, 3, 2.5)).toBe(-1);
  });

  it('matches the edges for wide and sub-pixel columns', () => {
    for (const [x0, width] of [
      [0, 1],
      [-2.5, 0.3],
      [17.25, 4.4],
      [0.5, 7.0001],
      [-0.1, 0.999],
    ] as const) {
      for (let pixel = 0; pixel < 200; pixel++) {
        const frame = frameAtColumn(pixel + 0.25, x0, width);
        expect(columnEdge(frame, x0, width)).toBeLessThanOrEqual(pixel);
        expect(columnEdge(frame + 1, x0, width)).toBeGreaterThan(pixel);
      }
    }
  });

  it('centres each frame on its time, half a shift either side', () => {
    // Frame 0 centred at 12.5 ms, 10 ms apart, at 200 px/s: edges at 1.5, 3.5, 5.5 px.
    const { x0, columnWidth } = centredColumns(0.0125, 0.01, 200);
    expect(x0).toBeCloseTo(1.5, 12);
    expect(columnWidth).toBeCloseTo(2, 12);
  });
});
