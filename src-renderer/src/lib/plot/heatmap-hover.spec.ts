import { describe, expect, it } from 'vitest';
import {
  drawPosteriorColumns,
  posteriorRowLayout,
  type PosteriorCanvas,
} from '../posteriorgram/posteriorgram-render';
import { buildColormap, colourIndex } from './colormap';
import { renderHeatmapTile, type HeatmapMatrix, type PixelImage } from './heatmap';
import { cellCanvasLayout, heatmapCellAt, stripLayout } from './heatmap-hover';
import { framesForColumn, framesWidthPx, MAX_TILE_WIDTH, planTiles } from './time-axis';

// Grey ramp: a pixel's red channel is the colour map entry it shows.
const grey = buildColormap([
  [0, 0, 0],
  [255, 255, 255],
]);
/** Whole values 0..255 land on entries 0..255 of the ramp. */
const BYTE_RANGE = { min: -0.5, max: 255.5 };

/** A frames x dims matrix with 10 ms frames of 25 ms whose values are f(frame, row). */
function matrix(frames: number, dims: number, f: (t: number, d: number) => number): HeatmapMatrix {
  const data = new Float32Array(frames * dims);
  for (let t = 0; t < frames; t++) for (let d = 0; d < dims; d++) data[t * dims + d] = f(t, d);
  return { data, frames, dims, frameShiftSeconds: 0.01, frameLengthSeconds: 0.025 };
}

function image(width: number, height: number): PixelImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

describe('heatmapCellAt on a strip (spectrogram, MFCC)', () => {
  // 100 frames x 4 bands, value 10 t + band, at 1,000 px/s: each frame is 10 px wide.
  const spectrogram = matrix(100, 4, (t, d) => 10 * t + d);
  const layout = stripLayout(spectrogram, 1000, 0, 40);

  it('reads the first and last frame and the lowest and highest band', () => {
    // Bottom left: frame 0 (clamped: the first centre is at 12.5 px), band 0.
    expect(heatmapCellAt(spectrogram, layout, 0, 39.9)).toEqual({
      frame: 0,
      row: 0,
      value: 0,
      seconds: 0.0125,
    });
    // Top right pixel of the drawn width (1,000 px): frame 99 (centred at 1.0025 s), band 3.
    const last = heatmapCellAt(spectrogram, layout, 999.5, 0);
    expect(last).toMatchObject({ frame: 99, row: 3, value: 993 });
    expect(last!.seconds).toBeCloseTo(1.0025, 9);
    // Frame 5 is centred at 62.5 px: pixel 62 shows it, each band 10 px tall.
    expect(heatmapCellAt(spectrogram, layout, 62.5, 25)).toMatchObject({ frame: 5, row: 1 });
  });

  it('is null off the plot: past the last frame, above, below or left of it', () => {
    expect(heatmapCellAt(spectrogram, layout, 1000, 10)).toBeNull();
    expect(heatmapCellAt(spectrogram, layout, 10, 40)).toBeNull();
    expect(heatmapCellAt(spectrogram, layout, 10, -0.5)).toBeNull();
    expect(heatmapCellAt(spectrogram, layout, -1, 10)).toBeNull();
    expect(heatmapCellAt({ ...spectrogram, frames: 0 }, layout, 10, 10)).toBeNull();
  });

  it('follows the scroll of the shared time axis', () => {
    const scrolled = stripLayout(spectrogram, 1000, 500, 40);
    expect(heatmapCellAt(spectrogram, scrolled, 12.5, 35)).toEqual(
      heatmapCellAt(spectrogram, layout, 512.5, 35),
    );
  });

  it('names the frame holding the maximum a zoomed-out column shows', () => {
    // 25 px/s: pixel column 10 shows frames 39-42; band 2 peaks at frame 41.
    const peaked = matrix(100, 4, (t, d) => (d === 2 && t === 41 ? 200 : t));
    const zoomedOut = stripLayout(peaked, 25, 0, 40);
    const { first, end } = framesForColumn(10, 25, 0.01, 0.025, 100);
    expect([first, end]).toEqual([39, 43]);
    expect(heatmapCellAt(peaked, zoomedOut, 10.5, 15)).toMatchObject({
      frame: 41,
      row: 2,
      value: 200,
    });
    // Band 1 there rises with time: the column's last frame holds its maximum.
    expect(heatmapCellAt(peaked, zoomedOut, 10.5, 25)).toMatchObject({
      frame: 42,
      row: 1,
      value: 42,
    });
  });

  it('reads back the colour drawn under every pixel, zoomed in and zoomed out', () => {
    const m = matrix(60, 5, (t, d) => (t * 37 + d * 101) % 256);
    for (const pxPerSecond of [730, 100, 31]) {
      const width = framesWidthPx(m.frames, m.frameShiftSeconds, pxPerSecond);
      const drawn = image(width, 23);
      renderHeatmapTile(m, 0, drawn, pxPerSecond, BYTE_RANGE, grey);
      const plot = stripLayout(m, pxPerSecond, 0, 23);
      for (let y = 0; y < 23; y++) {
        for (let x = 0; x < width; x++) {
          const cell = heatmapCellAt(m, plot, x + 0.5, y + 0.5);
          expect(cell?.value).toBe(drawn.data[(y * width + x) * 4]);
        }
      }
    }
  });

  it('reads a ten-minute input across its tiles, to the last pixel', () => {
    // 60,000 frames x 2 bands at 100 px/s: 60,000 px in 4,096 px tiles; pixel p shows the frame
    // centred in it, p - 1 (frame t is centred at 10 t + 12.5 ms).
    const long = matrix(60_000, 2, (t, d) => (t * 7 + d * 128) % 256);
    const width = framesWidthPx(long.frames, long.frameShiftSeconds, 100);
    const tiles = planTiles(width);
    expect(tiles.length).toBe(Math.ceil(60_000 / MAX_TILE_WIDTH));
    const viewWidth = 800;
    for (const tile of [tiles[5]!, tiles[tiles.length - 1]!]) {
      const drawn = image(tile.width, 16);
      renderHeatmapTile(long, tile.x, drawn, 100, BYTE_RANGE, grey);
      // Scrolled so that the view starts 300 px before the tile's right end.
      const scrollLeft = tile.x + tile.width - 300;
      const plot = stripLayout(long, 100, scrollLeft, 16);
      for (const x of [0, 1, 150, 299]) {
        for (const y of [0, 7, 8, 15]) {
          const cell = heatmapCellAt(long, plot, x + 0.5, y + 0.5)!;
          const inTile = scrollLeft + x - tile.x;
          expect(cell.value).toBe(drawn.data[(y * tile.width + inTile) * 4]);
          expect(cell.frame).toBe(scrollLeft + x - 1);
          expect(cell.row).toBe(y < 8 ? 1 : 0);
        }
      }
    }
    // Scrolled to the end: the last pixel shows frame 59,998; frame 59,999 is centred at
    // 600.0025 s, past the drawn 600 s.
    const end = stripLayout(long, 100, width - viewWidth, 16);
    const last = heatmapCellAt(long, end, viewWidth - 0.5, 15)!;
    expect(last).toMatchObject({ frame: 59_998, row: 0 });
    expect(last.seconds).toBeCloseTo(599.9925, 9);
    expect(heatmapCellAt(long, end, viewWidth + 0.5, 15)).toBeNull();
  });
});

/** Paints drawPosteriorColumns' rectangles into a grid of colour map entries. */
class PaintedCanvas implements PosteriorCanvas {
  fillStyle: unknown = '';
  readonly entries: Int16Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.entries = new Int16Array(width * height).fill(-1);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    const entry = Number(/^rgb\((\d+),/.exec(String(this.fillStyle))?.[1]);
    for (let row = Math.max(0, y); row < Math.min(this.height, y + h); row++) {
      for (let col = Math.max(0, x); col < Math.min(this.width, x + w); col++) {
        this.entries[row * this.width + col] = entry;
      }
    }
  }
}

describe('heatmapCellAt on a canvas painted cell by cell (posteriorgram)', () => {
  // 120 frames of 3 phones, centred at 5 ms + 10 ms f, on 1.2 s; display rows c, a, b.
  const phones = ['a', 'b', 'c'];
  const rows = posteriorRowLayout(phones, [{ name: 'first', phones: ['c'] }]);
  const posteriors = matrix(120, 3, (t, d) => (((t * 3 + d) * 37) % 256) / 255);
  const plot = (
    cssWidth: number,
    cssHeight: number,
    ratio: number,
  ): ReturnType<typeof cellCanvasLayout> =>
    cellCanvasLayout({
      cssWidth,
      cssHeight,
      ratio,
      seconds: 1.2,
      firstCentreSeconds: 0.005,
      shiftSeconds: 0.01,
      order: rows.order,
    });

  it('reads the first and last frame and the top and bottom row at device-pixel ratio 2', () => {
    const layout = plot(300, 60, 2);
    expect(layout).toMatchObject({ scaleX: 2, scaleY: 2, height: 120 });
    // Top left: frame 0, display row 0 = phone c (output 2).
    expect(heatmapCellAt(posteriors, layout, 0, 0)).toEqual({
      frame: 0,
      row: 2,
      value: posteriors.data[2],
      seconds: 0.005,
    });
    // Bottom right: frame 119, display row 2 = phone b (output 1).
    expect(heatmapCellAt(posteriors, layout, 299.9, 59.9)).toMatchObject({
      frame: 119,
      row: 1,
      value: posteriors.data[119 * 3 + 1],
    });
    expect(heatmapCellAt(posteriors, layout, 299.9, 59.9)!.seconds).toBeCloseTo(1.195, 9);
    // 2.5 CSS px a frame: CSS x 2.5 is device pixel 5, frame 1's first.
    expect(heatmapCellAt(posteriors, layout, 2.4, 30)!.frame).toBe(0);
    expect(heatmapCellAt(posteriors, layout, 2.5, 30)!.frame).toBe(1);
  });

  it('finds rows on the device pixels they are drawn on, not on CSS pixels', () => {
    // 61 CSS px at ratio 2 = 122 device px: row edges at 41 and 81. CSS y 20.3 is device
    // 40.6, still row 0 (phone c), though a third of 61 CSS px would put it in row 1.
    const layout = plot(300, 61, 2);
    expect(heatmapCellAt(posteriors, layout, 100, 20.3)!.row).toBe(2);
    expect(heatmapCellAt(posteriors, layout, 100, 20.5)!.row).toBe(0);
    expect(heatmapCellAt(posteriors, layout, 100, 40.4)!.row).toBe(0);
    expect(heatmapCellAt(posteriors, layout, 100, 40.5)!.row).toBe(1);
  });

  it('is null before the first frame, after the last and off the canvas', () => {
    // Frames centred from 20 ms with 10 ms hop: frame 0 starts at 15 ms, device pixel 7.5,
    // drawn from pixel 8 (CSS 4).
    const late = cellCanvasLayout({
      cssWidth: 300,
      cssHeight: 60,
      ratio: 2,
      seconds: 1.2,
      firstCentreSeconds: 0.02,
      shiftSeconds: 0.01,
      order: rows.order,
    });
    expect(heatmapCellAt(posteriors, late, 3.9, 10)).toBeNull();
    expect(heatmapCellAt(posteriors, late, 4, 10)!.frame).toBe(0);
    const short = { ...posteriors, frames: 10 };
    expect(heatmapCellAt(short, late, 30, 10)).toBeNull();
    expect(heatmapCellAt(posteriors, late, 10, 60)).toBeNull();
    expect(heatmapCellAt(posteriors, late, -0.1, 10)).toBeNull();
  });

  it('reads back what drawPosteriorColumns painted under every pixel, at ratios 1, 1.5 and 2', () => {
    for (const ratio of [1, 1.5, 2]) {
      for (const cssWidth of [301, 77]) {
        const layout = plot(cssWidth, 41, ratio);
        const columns = layout.columns;
        if (columns.kind !== 'cells') throw new Error('a cell canvas has cell columns');
        const width = Math.round(cssWidth * ratio);
        const canvas = new PaintedCanvas(width, layout.height);
        drawPosteriorColumns(
          canvas,
          rows,
          posteriors.data,
          3,
          0,
          120,
          columns.x0,
          columns.columnWidth,
          layout.height,
          grey,
        );
        for (let py = 0; py < layout.height; py++) {
          for (let px = 0; px < width; px++) {
            // The centre of device pixel (px, py), in CSS pixels.
            const cell = heatmapCellAt(
              posteriors,
              layout,
              (px + 0.5) / layout.scaleX,
              (py + 0.5) / layout.scaleY,
            );
            const painted = canvas.entries[py * width + px]!;
            expect(cell === null ? -1 : colourIndex(cell.value, 0, 1)).toBe(painted);
          }
        }
      }
    }
  });
});
