import { describe, expect, it } from 'vitest';
import { buildColormap } from './colormap';
import {
  appendFrames,
  AutoRange,
  bandForRow,
  matrixRange,
  renderHeatmapTile,
  standardiseColumns,
  type PixelImage,
} from './heatmap';

// Grey ramp: red channel = colour index, easy to read back.
const grey = buildColormap([
  [0, 0, 0],
  [255, 255, 255],
]);

function image(width: number, height: number): PixelImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

const red = (img: PixelImage, x: number, y: number): number => img.data[(y * img.width + x) * 4]!;

describe('spectrogram rendering', () => {
  it('maps rows to bands with the lowest band at the bottom', () => {
    expect(bandForRow(3, 4, 2)).toBe(0);
    expect(bandForRow(0, 4, 2)).toBe(1);
    expect(bandForRow(0, 80, 80)).toBe(79);
    expect(bandForRow(79, 80, 80)).toBe(0);
  });

  it('scrolls left and draws new frames at the right edge, oldest first', () => {
    const img = image(4, 2);
    const range = { min: 0, max: 1 };
    appendFrames(img, [Float32Array.of(1, 0)], range, grey);
    expect(red(img, 3, 1)).toBe(255); // band 0 (bottom) loud
    expect(red(img, 3, 0)).toBe(0);
    appendFrames(img, [Float32Array.of(0, 1), Float32Array.of(0.5, 0.5)], range, grey);
    // The first frame moved two columns left.
    expect(red(img, 1, 1)).toBe(255);
    expect(red(img, 2, 0)).toBe(255);
    expect(red(img, 3, 0)).toBe(127);
    expect(img.data[3]).toBe(0); // column 0 never drawn: still transparent
  });

  it('draws only the last frames when more arrive than the width', () => {
    const img = image(2, 1);
    const frames = [0, 0.2, 0.6, 1].map((v) => Float32Array.of(v));
    appendFrames(img, frames, { min: 0, max: 1 }, grey);
    expect([red(img, 0, 0), red(img, 1, 0)]).toEqual([153, 255]);
  });

  it('follows the loudest frame and decays slowly', () => {
    const auto = new AutoRange(10, 1);
    expect(auto.range).toEqual({ min: -9, max: 1 });
    auto.update(Float32Array.of(3, 20));
    expect(auto.range).toEqual({ min: 10, max: 20 });
    auto.update(Float32Array.of(0));
    expect(auto.range.max).toBe(19);
  });

  it('derives a matrix range and standardises columns', () => {
    expect(matrixRange(Float32Array.of(-Infinity, 2, 30), 10)).toEqual({ min: 20, max: 30 });
    expect(matrixRange(Float32Array.of(), 10)).toEqual({ min: 0, max: 1 });
    const z = standardiseColumns(Float32Array.of(1, 100, 3, 300), 2, 2);
    expect(Array.from(z)).toEqual([-1, -1, 1, 1]);
  });

  it('renders a heatmap tile on the shared time axis', () => {
    // 4 frames x 1 dim, 10 ms hop, 10 ms frames (centres at 5, 15, 25, 35 ms).
    const matrix = {
      data: Float32Array.of(0, 1, 0, 0.5),
      frames: 4,
      dims: 1,
      frameShiftSeconds: 0.01,
      frameLengthSeconds: 0.01,
    };
    // 1,000 px/s: a tile from px 10 shows frame 1 (centre 15 ms) in all its columns.
    const tile = image(10, 1);
    renderHeatmapTile(matrix, 10, tile, 1000, { min: 0, max: 1 }, grey);
    expect(Array.from({ length: 10 }, (_, x) => red(tile, x, 0))).toEqual(Array(10).fill(255));
    // A tile from px 20: frame 2 (0) until 30 ms, then frame 3 (0.5).
    renderHeatmapTile(matrix, 20, tile, 1000, { min: 0, max: 1 }, grey);
    expect(red(tile, 0, 0)).toBe(0);
    expect(red(tile, 9, 0)).toBe(0);
    renderHeatmapTile(matrix, 30, tile, 1000, { min: 0, max: 1 }, grey);
    expect(red(tile, 1, 0)).toBe(127);
    // Zoomed out to 50 px/s: column 0 covers all four frames and shows their maximum.
    const overview = image(1, 1);
    renderHeatmapTile(matrix, 0, overview, 50, { min: 0, max: 1 }, grey);
    expect(red(overview, 0, 0)).toBe(255);
  });
});
