import { describe, expect, it } from 'vitest';
import {
  framesForColumn,
  MAX_TILE_WIDTH,
  pixelToTime,
  planTiles,
  timeTicks,
  timeToPixel,
  visibleTiles,
} from './time-axis';

describe('time axis', () => {
  it('maps time to pixels and back', () => {
    expect(timeToPixel(2.5, 100)).toBe(250);
    expect(pixelToTime(250, 100)).toBe(2.5);
    expect(pixelToTime(10, 0)).toBe(0);
    for (const t of [0, 0.013, 1.7, 599.99])
      expect(pixelToTime(timeToPixel(t, 37), 37)).toBeCloseTo(t, 9);
  });

  it('tiles a 10-minute file at 1,000 px/s without any canvas over the limit', () => {
    const total = 600 * 1000;
    const tiles = planTiles(total);
    expect(tiles.every((tile) => tile.width <= MAX_TILE_WIDTH && tile.width > 0)).toBe(true);
    expect(tiles.reduce((sum, tile) => sum + tile.width, 0)).toBe(total);
    tiles.forEach((tile, i) => {
      expect(tile.index).toBe(i);
      if (i > 0) expect(tile.x).toBe(tiles[i - 1]!.x + tiles[i - 1]!.width);
    });
    expect(planTiles(0)).toEqual([]);
    expect(planTiles(10.2, 4)).toEqual([
      { index: 0, x: 0, width: 4 },
      { index: 1, x: 4, width: 4 },
      { index: 2, x: 8, width: 3 },
    ]);
  });

  it('picks the tiles a viewport touches', () => {
    const tiles = planTiles(100, 10);
    expect(visibleTiles(tiles, 25, 20).map((t) => t.index)).toEqual([2, 3, 4]);
    expect(visibleTiles(tiles, 25, 20, 10).map((t) => t.index)).toEqual([1, 2, 3, 4, 5]);
    expect(visibleTiles(tiles, 30, 10).map((t) => t.index)).toEqual([3]);
  });

  it('finds the frames of a pixel column zoomed in and zoomed out', () => {
    // 1,000 px/s, 10 ms hop, 25 ms frames: frame 0 is centred at 12.5 ms = px 12.5.
    expect(framesForColumn(12, 1000, 0.01, 0.025, 100)).toEqual({ first: 0, end: 1 });
    expect(framesForColumn(22, 1000, 0.01, 0.025, 100)).toEqual({ first: 1, end: 2 });
    // 10 px/s: one column is 100 ms, ten frames.
    expect(framesForColumn(5, 10, 0.01, 0.025, 1000)).toEqual({ first: 49, end: 59 });
    // Clamped at both ends.
    expect(framesForColumn(0, 1000, 0.01, 0.025, 100).first).toBe(0);
    expect(framesForColumn(5000, 1000, 0.01, 0.025, 100)).toEqual({ first: 99, end: 100 });
  });

  it('labels the ruler with round steps that stay apart at any zoom', () => {
    const ticks = timeTicks(200, 0, 800, 4);
    expect(ticks.map((t) => t.label)).toEqual([
      '0.0 s',
      '0.5 s',
      '1.0 s',
      '1.5 s',
      '2.0 s',
      '2.5 s',
      '3.0 s',
      '3.5 s',
      '4.0 s',
    ]);
    expect(ticks[2]!.x).toBe(200);
    // Scrolled: x is relative to the view.
    const scrolled = timeTicks(1000, 1500, 300, 10);
    expect(scrolled.map((t) => t.seconds)).toEqual([1.5, 1.6, 1.7, 1.8]);
    expect(scrolled[0]!.x).toBe(0);
    // A 10-minute file fitted into 1,000 px: minute labels.
    const overview = timeTicks(1000 / 600, 0, 1000, 600);
    expect(overview.map((t) => t.label)).toEqual([
      '0:00',
      '1:00',
      '2:00',
      '3:00',
      '4:00',
      '5:00',
      '6:00',
      '7:00',
      '8:00',
      '9:00',
      '10:00',
    ]);
    expect(timeTicks(0, 0, 100, 1)).toEqual([]);
  });
});
