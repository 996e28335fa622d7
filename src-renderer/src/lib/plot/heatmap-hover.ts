/**
 * What a heatmap shows under the pointer: the inverse of its render function, pixel for pixel,
 * so that a read-out names the frame, the row and the value whose colour is under the pointer.
 * The kit draws heatmaps in two ways, and a layout says which:
 * - 'timeAxis': HeatmapStrip's tiles (renderHeatmapTile) on the shared time axis; a pixel
 *   column covering several frames shows each row's maximum over them (zoomed out);
 * - 'cells': a canvas painted cell by cell (drawPosteriorColumns; plot/cell-grid), sized at the
 *   device pixel ratio by deviceCanvasContext.
 */
import { centredColumns, frameAtColumn, rowAtY } from './cell-grid';
import { backingSize } from './device-pixels';
import { bandForRow, type HeatmapMatrix } from './heatmap';
import { framesForColumn, framesWidthPx } from './time-axis';

/** A row-major frames x dims matrix: frame t's value for row d is data[t * dims + d]. */
export type HeatmapValues = Pick<HeatmapMatrix, 'data' | 'frames' | 'dims'>;

export type HeatmapColumns =
  | {
      kind: 'timeAxis';
      /** The shared time axis in CSS pixels: the plot's left edge is `scrollLeft` px from time 0. */
      pxPerSecond: number;
      scrollLeft: number;
      /** Frame t covers [t * shift, t * shift + length) seconds (plot/time-axis). */
      frameShiftSeconds: number;
      frameLengthSeconds: number;
    }
  | {
      kind: 'cells';
      /** In backing pixels: frame f fills [columnEdge(f, x0, columnWidth), columnEdge(f + 1, ...)). */
      x0: number;
      columnWidth: number;
      /** Frame f is centred at firstCentreSeconds + f * shiftSeconds. */
      firstCentreSeconds: number;
      shiftSeconds: number;
    };

export type HeatmapRows =
  /** drawColumn: equal shares of the height (bandForRow), matrix row 0 at the bottom. */
  | { kind: 'upward' }
  /** drawPosteriorColumns: display row r, from the top, fills [rowEdge(r), rowEdge(r + 1)) and shows matrix row order[r]. */
  | { kind: 'ordered'; order: readonly number[] };

export interface HeatmapLayout {
  columns: HeatmapColumns;
  rows: HeatmapRows;
  /** Backing-store pixels per CSS pixel, across and down. */
  scaleX: number;
  scaleY: number;
  /** The backing store's height in pixels, which the rows share. */
  height: number;
}

/** The cell under the pointer. */
export interface HeatmapCell {
  frame: number;
  /** The matrix row (a mel band, an MFCC coefficient, a phone's output index). */
  row: number;
  /** The matrix value whose colour is shown there. */
  value: number;
  /** The frame's centre, in seconds on the plot's time axis. */
  seconds: number;
}

/**
 * HeatmapStrip's layout, `height` CSS pixels tall: its tiles are sized in CSS pixels whatever
 * the screen's density, so one backing pixel per CSS pixel.
 */
export function stripLayout(
  matrix: Pick<HeatmapMatrix, 'frameShiftSeconds' | 'frameLengthSeconds'>,
  pxPerSecond: number,
  scrollLeft: number,
  height: number,
): HeatmapLayout {
  return {
    columns: {
      kind: 'timeAxis',
      pxPerSecond,
      scrollLeft,
      frameShiftSeconds: matrix.frameShiftSeconds,
      frameLengthSeconds: matrix.frameLengthSeconds,
    },
    rows: { kind: 'upward' },
    scaleX: 1,
    scaleY: 1,
    height,
  };
}

export interface CellCanvasOptions {
  /** The canvas's CSS size and the device pixel ratio deviceCanvasContext sized it at. */
  cssWidth: number;
  cssHeight: number;
  ratio: number;
  /** Seconds across the canvas's width, from 0 at its left edge. */
  seconds: number;
  /** Frame f is centred at firstCentreSeconds + f * shiftSeconds, one shift wide. */
  firstCentreSeconds: number;
  shiftSeconds: number;
  /** Matrix row shown by each display row, from the top. */
  order: readonly number[];
}

/**
 * The layout of a canvas painted cell by cell at the device pixel ratio (the posteriorgram):
 * its columns are where the canvas draws them (draw with `columns.x0` and
 * `columns.columnWidth`), and a pointer maps back to the same backing pixels.
 */
export function cellCanvasLayout(options: CellCanvasOptions): HeatmapLayout {
  const width = backingSize(options.cssWidth, options.ratio);
  const height = backingSize(options.cssHeight, options.ratio);
  const pxPerSecond = options.seconds > 0 ? width / options.seconds : 0;
  return {
    columns: {
      kind: 'cells',
      ...centredColumns(options.firstCentreSeconds, options.shiftSeconds, pxPerSecond),
      firstCentreSeconds: options.firstCentreSeconds,
      shiftSeconds: options.shiftSeconds,
    },
    rows: { kind: 'ordered', order: options.order },
    scaleX: options.cssWidth > 0 ? width / options.cssWidth : 1,
    scaleY: options.cssHeight > 0 ? height / options.cssHeight : 1,
    height,
  };
}

function rowAtPixel(rows: HeatmapRows, pixel: number, height: number, dims: number): number {
  if (rows.kind === 'upward') return bandForRow(pixel, height, dims);
  return rows.order[rowAtY(pixel, rows.order.length, height)] ?? -1;
}

/**
 * The cell drawn under the pointer at (x, y) CSS pixels from the plot's top left corner, or
 * null off the drawn frames. Where a strip's pixel column shows the maximum of several frames,
 * the cell is the frame that holds it (the first, on ties).
 */
export function heatmapCellAt(
  values: HeatmapValues,
  layout: HeatmapLayout,
  x: number,
  y: number,
): HeatmapCell | null {
  const { data, frames, dims } = values;
  const { columns } = layout;
  const pixelY = Math.floor(y * layout.scaleY);
  if (frames <= 0 || dims <= 0 || !(x >= 0) || !(pixelY >= 0 && pixelY < layout.height)) {
    return null;
  }
  const row = rowAtPixel(layout.rows, pixelY, layout.height, dims);
  if (row < 0 || row >= dims) return null;
  if (columns.kind === 'cells') {
    const frame = frameAtColumn(x * layout.scaleX, columns.x0, columns.columnWidth);
    if (frame < 0 || frame >= frames) return null;
    return {
      frame,
      row,
      value: data[frame * dims + row] as number,
      seconds: columns.firstCentreSeconds + frame * columns.shiftSeconds,
    };
  }
  const pxPerSecond = columns.pxPerSecond * layout.scaleX;
  const pixelX = Math.floor((x + columns.scrollLeft) * layout.scaleX);
  if (pixelX >= framesWidthPx(frames, columns.frameShiftSeconds, pxPerSecond)) return null;
  const { first, end } = framesForColumn(
    pixelX,
    pxPerSecond,
    columns.frameShiftSeconds,
    columns.frameLengthSeconds,
    frames,
  );
  let frame = first;
  let value = data[first * dims + row] as number;
  for (let t = first + 1; t < end; t++) {
    const candidate = data[t * dims + row] as number;
    if (candidate > value) {
      value = candidate;
      frame = t;
    }
  }
  return {
    frame,
    row,
    value,
    seconds: frame * columns.frameShiftSeconds + columns.frameLengthSeconds / 2,
  };
}
