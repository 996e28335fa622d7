import { writeColour, type Colormap } from './colormap';
import { framesForColumn } from './time-axis';

/** An RGBA pixel buffer, the shape of ImageData, so render functions run in tests without a DOM. */
export interface PixelImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface ValueRange {
  min: number;
  max: number;
}

/** The band a pixel row shows: the lowest band at the bottom row. */
export function bandForRow(row: number, height: number, dims: number): number {
  return Math.min(dims - 1, Math.floor(((height - 1 - row) * dims) / height));
}

/** Moves the whole image `columns` pixels to the left; the freed columns on the right keep old pixels. */
export function scrollLeft(image: PixelImage, columns: number): void {
  if (columns <= 0) return;
  const { data, width, height } = image;
  const shift = Math.min(columns, width);
  for (let y = 0; y < height; y++) {
    const start = y * width * 4;
    data.copyWithin(start, start + shift * 4, start + width * 4);
  }
}

/** Draws one frame (dims values) as pixel column `x`. */
export function drawColumn(
  image: PixelImage,
  x: number,
  frame: Float32Array,
  range: ValueRange,
  colormap: Colormap,
): void {
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    const value = frame[bandForRow(y, height, frame.length)] as number;
    writeColour(data, (y * width + x) * 4, colormap, value, range.min, range.max);
  }
}

/**
 * The live spectrogram's step: scroll left by the number of new frames and draw them at the
 * right edge, one pixel column per frame (10 ms), oldest first.
 */
export function appendFrames(
  image: PixelImage,
  frames: readonly Float32Array[],
  range: ValueRange,
  colormap: Colormap,
): void {
  const count = Math.min(frames.length, image.width);
  scrollLeft(image, count);
  const skip = frames.length - count;
  for (let i = 0; i < count; i++) {
    drawColumn(image, image.width - count + i, frames[skip + i] as Float32Array, range, colormap);
  }
}

/**
 * Tracks the display range of log-mel values: the ceiling follows the loudest frame seen
 * (slowly decaying, so one loud click does not darken everything for ever) and the floor sits
 * `span` below it. A natural-log span of 16 is about 70 dB.
 */
export const AUTO_RANGE_SPAN = 16;

export class AutoRange {
  max = -Infinity;
  constructor(
    readonly span = AUTO_RANGE_SPAN,
    readonly decayPerFrame = 0.002,
  ) {}

  update(frame: Float32Array): void {
    let peak = -Infinity;
    for (let i = 0; i < frame.length; i++)
      if ((frame[i] as number) > peak) peak = frame[i] as number;
    this.max = Math.max(peak, this.max - this.decayPerFrame);
  }

  get range(): ValueRange {
    const max = Number.isFinite(this.max) ? this.max : 1;
    return { min: max - this.span, max };
  }
}

/** The range of a whole matrix: from `span` below its maximum (ignoring -Infinity) to the maximum. */
export function matrixRange(data: Float32Array, span: number): ValueRange {
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    if (value > max) max = value;
    if (value < min && Number.isFinite(value)) min = value;
  }
  if (!Number.isFinite(max)) return { min: 0, max: 1 };
  return { min: Math.max(min, max - span), max: max > min ? max : min + 1 };
}

/**
 * Each column scaled to zero mean and unit variance over time, so an MFCC heatmap shows every
 * coefficient (c0 is otherwise an order of magnitude larger than c12). Display only.
 */
export function standardiseColumns(data: Float32Array, frames: number, dims: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let d = 0; d < dims; d++) {
    let sum = 0;
    let sumSquares = 0;
    for (let t = 0; t < frames; t++) {
      const value = data[t * dims + d] as number;
      sum += value;
      sumSquares += value * value;
    }
    const mean = frames > 0 ? sum / frames : 0;
    const std = Math.sqrt(Math.max(0, sumSquares / Math.max(frames, 1) - mean * mean)) || 1;
    for (let t = 0; t < frames; t++)
      out[t * dims + d] = ((data[t * dims + d] as number) - mean) / std;
  }
  return out;
}

export interface HeatmapMatrix {
  data: Float32Array;
  frames: number;
  dims: number;
  frameShiftSeconds: number;
  frameLengthSeconds: number;
}

/**
 * Draws the part of a frames x dims matrix that falls in one tile of the time axis:
 * pixel column i of the tile is px tileX + i of the whole axis. A column covering several
 * frames shows their maximum per row (zoomed out, peaks stay visible instead of aliasing).
 */
export function renderHeatmapTile(
  matrix: HeatmapMatrix,
  tileX: number,
  image: PixelImage,
  pxPerSecond: number,
  range: ValueRange,
  colormap: Colormap,
): void {
  const { data, frames, dims } = matrix;
  const column = new Float32Array(dims);
  if (frames === 0) {
    image.data.fill(0);
    return;
  }
  for (let i = 0; i < image.width; i++) {
    const { first, end } = framesForColumn(
      tileX + i,
      pxPerSecond,
      matrix.frameShiftSeconds,
      matrix.frameLengthSeconds,
      frames,
    );
    column.set(data.subarray(first * dims, (first + 1) * dims));
    for (let t = first + 1; t < end; t++) {
      for (let d = 0; d < dims; d++) {
        const value = data[t * dims + d] as number;
        if (value > (column[d] as number)) column[d] = value;
      }
    }
    drawColumn(image, i, column, range, colormap);
  }
}
