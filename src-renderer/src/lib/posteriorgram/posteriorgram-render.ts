/**
 * Pure drawing logic of a posteriorgram (per-frame phone probabilities as a heatmap), shared
 * by the offline posteriorgram view and the live view. Rows are grouped by phone class
 * (vowels, stops, fricatives, ...) so that confusions inside a class read as one dark band;
 * phones the class table does not know go into an 'other' group at the bottom.
 *
 * Display row 0 is the top row. The canvas type is the handful of methods used here, so the
 * specs run without a DOM and any CanvasRenderingContext2D fits.
 */
import type { PhoneClassGroup } from '@api/experiments';
import { columnEdge, rowEdge } from '../plot/cell-grid';
import { colourIndex, type Colormap } from '../plot/colormap';

/** The name of the group that collects labels missing from every class. */
export const OTHER_CLASS_NAME = 'other';

/** One class's rows: display rows firstRow .. firstRow + rowCount - 1. */
export interface PosteriorClassBand {
  name: string;
  firstRow: number;
  rowCount: number;
}

export interface PosteriorRowLayout {
  /** Display row r shows posterior column order[r] (the model's output index). */
  order: number[];
  /** The label of each display row. */
  rowLabels: string[];
  /** The class (index into bands) of each display row. */
  rowBand: number[];
  /** Display row of each posterior column (the inverse of order). */
  rowOfColumn: number[];
  bands: PosteriorClassBand[];
}

/** The part of a canvas context the draw functions call. */
export interface PosteriorCanvas {
  /** Written only; `unknown` so that CanvasRenderingContext2D (string | gradient | pattern) fits. */
  fillStyle: unknown;
  fillRect(x: number, y: number, width: number, height: number): void;
}

export interface RankedPhone {
  label: string;
  /** The model's output index. */
  index: number;
  probability: number;
}

/** Where a class band sits on a canvas `height` pixels tall, and where its name goes. */
export interface ClassBandGeometry {
  name: string;
  top: number;
  bottom: number;
  /** Vertical centre, for the band's name. */
  middle: number;
  firstRow: number;
  rowCount: number;
}

/** One row label's position; rows too thin for text get no entry. */
export interface RowLabelGeometry {
  label: string;
  row: number;
  /** Vertical centre of the row. */
  middle: number;
}

/**
 * Orders the model's labels for display: class by class in the order given, each class's
 * phones in its own order, then every label no class mentions (in output order) as 'other'.
 * A label listed by two classes stays in the first; class phones the model lacks are skipped,
 * and classes left empty are dropped.
 */
export function posteriorRowLayout(
  labels: readonly string[],
  classes: readonly PhoneClassGroup[],
): PosteriorRowLayout {
  const columnsOf = new Map<string, number[]>();
  labels.forEach((label, column) => {
    const columns = columnsOf.get(label);
    if (columns) columns.push(column);
    else columnsOf.set(label, [column]);
  });
  const placed = new Set<number>();
  const order: number[] = [];
  const rowBand: number[] = [];
  const bands: PosteriorClassBand[] = [];
  const addBand = (name: string, columns: readonly number[]): void => {
    if (columns.length === 0) return;
    const band = bands.length;
    bands.push({ name, firstRow: order.length, rowCount: columns.length });
    for (const column of columns) {
      order.push(column);
      rowBand.push(band);
      placed.add(column);
    }
  };
  for (const group of classes) {
    const columns: number[] = [];
    for (const phone of group.phones) {
      for (const column of columnsOf.get(phone) ?? []) {
        if (!placed.has(column) && !columns.includes(column)) columns.push(column);
      }
    }
    addBand(group.name, columns);
  }
  const rest: number[] = [];
  for (let column = 0; column < labels.length; column++) if (!placed.has(column)) rest.push(column);
  addBand(OTHER_CLASS_NAME, rest);
  const rowOfColumn = new Array<number>(labels.length).fill(-1);
  order.forEach((column, row) => (rowOfColumn[column] = row));
  return {
    order,
    rowLabels: order.map((column) => labels[column] as string),
    rowBand,
    rowOfColumn,
    bands,
  };
}

// fillStyle strings per colour map, built once: a live posteriorgram sets tens of thousands a second.
const styleCache = new WeakMap<Colormap, string[]>();

function colourStyles(colormap: Colormap): string[] {
  let styles = styleCache.get(colormap);
  if (!styles) {
    styles = [];
    for (let i = 0; i < 256; i++) {
      styles.push(`rgb(${colormap[i * 4]},${colormap[i * 4 + 1]},${colormap[i * 4 + 2]})`);
    }
    styleCache.set(colormap, styles);
  }
  return styles;
}

/** The fillStyle for a probability (0 -> the map's first colour, 1 -> its last). */
export function probabilityStyle(probability: number, colormap: Colormap): string {
  return colourStyles(colormap)[colourIndex(probability, 0, 1)] as string;
}

/**
 * Draws frames fromFrame .. toFrame - 1 of a row-major [frames, phones] probability matrix as
 * columns: frame f fills x0 + (f - fromFrame) * columnWidth onwards, rows in layout order over
 * `height` pixels from y = 0. Edges are rounded to whole pixels (plot/cell-grid, which also
 * maps a pixel back to its cell) so neighbouring columns and rows neither overlap nor leave
 * seams; when columns are narrower than a pixel, each pixel shows the last frame that reaches it. Frames outside the matrix are skipped.
 * Returns the number of frames drawn.
 */
export function drawPosteriorColumns(
  ctx: PosteriorCanvas,
  layout: PosteriorRowLayout,
  posteriors: Float32Array,
  phones: number,
  fromFrame: number,
  toFrame: number,
  x0: number,
  columnWidth: number,
  height: number,
  colormap: Colormap,
): number {
  const styles = colourStyles(colormap);
  const rows = layout.order.length;
  const frames = phones > 0 ? Math.floor(posteriors.length / phones) : 0;
  const first = Math.max(0, fromFrame);
  const end = Math.min(frames, toFrame);
  let drawn = 0;
  for (let frame = first; frame < end; frame++) {
    const left = columnEdge(frame - fromFrame, x0, columnWidth);
    const right = columnEdge(frame - fromFrame + 1, x0, columnWidth);
    if (right <= left) continue;
    const base = frame * phones;
    for (let row = 0; row < rows; row++) {
      const top = rowEdge(row, rows, height);
      const bottom = rowEdge(row + 1, rows, height);
      if (bottom <= top) continue;
      const value = posteriors[base + (layout.order[row] as number)] as number;
      ctx.fillStyle = styles[colourIndex(value, 0, 1)];
      ctx.fillRect(left, top, right - left, bottom - top);
    }
    drawn++;
  }
  return drawn;
}

/** The k most probable phones at one frame, most probable first (ties keep output order). */
export function topPhonesAt(
  posteriors: Float32Array,
  phones: number,
  labels: readonly string[],
  frame: number,
  k: number,
): RankedPhone[] {
  if (phones <= 0 || frame < 0 || (frame + 1) * phones > posteriors.length) return [];
  const ranked: RankedPhone[] = [];
  for (let index = 0; index < phones; index++) {
    ranked.push({
      label: labels[index] ?? String(index),
      index,
      probability: posteriors[frame * phones + index] as number,
    });
  }
  ranked.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return ranked.slice(0, Math.max(0, k));
}

/** Each class band's pixel extent on a canvas `height` tall, for separators and names. */
export function classBandGeometry(layout: PosteriorRowLayout, height: number): ClassBandGeometry[] {
  const rows = layout.order.length;
  return layout.bands.map((band) => {
    const top = rowEdge(band.firstRow, rows, height);
    const bottom = rowEdge(band.firstRow + band.rowCount, rows, height);
    return {
      name: band.name,
      top,
      bottom,
      middle: (top + bottom) / 2,
      firstRow: band.firstRow,
      rowCount: band.rowCount,
    };
  });
}

/**
 * Positions for the row labels: every row when rows are at least `minRowPixels` tall,
 * otherwise every n-th row of each class (starting at the class's first row), so labels never
 * overlap.
 */
export function rowLabelGeometry(
  layout: PosteriorRowLayout,
  height: number,
  minRowPixels = 10,
): RowLabelGeometry[] {
  const rows = layout.order.length;
  if (rows === 0 || height <= 0) return [];
  const step = Math.max(1, Math.ceil(minRowPixels / (height / rows)));
  const labels: RowLabelGeometry[] = [];
  for (const band of layout.bands) {
    for (let offset = 0; offset < band.rowCount; offset += step) {
      const row = band.firstRow + offset;
      labels.push({
        label: layout.rowLabels[row] as string,
        row,
        middle: (rowEdge(row, rows, height) + rowEdge(row + 1, rows, height)) / 2,
      });
    }
  }
  return labels;
}

/**
 * Draws a thin line at each boundary between class bands, across `width` pixels from x0,
 * so the groups stay readable inside the heatmap.
 */
export function drawClassSeparators(
  ctx: PosteriorCanvas,
  layout: PosteriorRowLayout,
  x0: number,
  width: number,
  height: number,
  style: string,
): void {
  ctx.fillStyle = style;
  for (const band of classBandGeometry(layout, height).slice(1)) {
    ctx.fillRect(x0, band.top, width, 1);
  }
}

/** A row label placed in one of several side-by-side lanes. */
export interface LaneRowLabel extends RowLabelGeometry {
  /** 0 is the lane farthest from the heatmap. */
  lane: number;
}

/**
 * Row labels spread over up to `maxLanes` side-by-side lanes, so that rows thinner than a line
 * of text still each get a label: row r goes to lane r % lanes, and labels within one lane are
 * at least `minRowPixels` apart. With 40-60 phones at ~6 px a row, two lanes label every row.
 * When even `maxLanes` lanes cannot, every n-th row is labelled (as `rowLabelGeometry` does),
 * still alternating lanes.
 */
export function laneRowLabels(
  layout: PosteriorRowLayout,
  height: number,
  minRowPixels = 10,
  maxLanes = 2,
): { lanes: number; labels: LaneRowLabel[] } {
  const rows = layout.order.length;
  if (rows === 0 || height <= 0) return { lanes: 1, labels: [] };
  const lanesNeeded = Math.max(1, Math.ceil(minRowPixels / (height / rows)));
  const lanes = Math.max(1, Math.min(Math.max(1, maxLanes), lanesNeeded));
  const step = Math.ceil(lanesNeeded / lanes);
  const labels: LaneRowLabel[] = [];
  for (let row = 0, k = 0; row < rows; row += step, k++) {
    labels.push({
      label: layout.rowLabels[row] as string,
      row,
      middle: (rowEdge(row, rows, height) + rowEdge(row + 1, rows, height)) / 2,
      lane: lanes - 1 - (k % lanes),
    });
  }
  return { lanes, labels };
}

/** Where a class band's name goes: its band's extent, and the baseline-centre `y` of the name. */
export interface ClassNamePlacement {
  name: string;
  top: number;
  bottom: number;
  y: number;
}

/**
 * Places the class names beside their bands, one line each: centred on the band where there
 * is room, pushed apart (at least `lineHeight` between neighbours, inside the canvas) where
 * bands are thinner than a line, e.g. two-phone classes such as affricates. A forward pass
 * pushes names down, a backward pass pulls them up from the bottom edge; names keep the bands'
 * order. When all names cannot fit (`bands * lineHeight > height`), they overlap evenly.
 */
export function placeClassNames(
  bands: readonly ClassBandGeometry[],
  height: number,
  lineHeight: number,
): ClassNamePlacement[] {
  const half = lineHeight / 2;
  const ys = bands.map((band) => band.middle);
  for (let i = 0; i < ys.length; i++) {
    const previous = i > 0 ? (ys[i - 1] as number) + lineHeight : half;
    ys[i] = Math.max(ys[i] as number, previous);
  }
  for (let i = ys.length - 1; i >= 0; i--) {
    const next = i < ys.length - 1 ? (ys[i + 1] as number) - lineHeight : height - half;
    ys[i] = Math.min(ys[i] as number, next);
  }
  return bands.map((band, i) => ({
    name: band.name,
    top: band.top,
    bottom: band.bottom,
    y: ys[i] as number,
  }));
}
