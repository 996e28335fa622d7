/**
 * The network unrolled over a few steps of the input: one column per step, with the input at the
 * bottom, each layer direction's hidden state above it and the output on top; arrows carry the
 * input up (W_xh, W_hy) and the state along time (W_hh: rightwards for a forward direction,
 * leftwards for a backward one). Every vector is a strip of cells coloured by value (unit 0 at the
 * top), in the Inside view's palettes. The layout is pure geometry; `drawUnrolled` paints it on a
 * canvas 2-D context (a fake one in tests).
 */
import type { InsideTrace } from '@api/inside';
import { colourCss, colourIndex, COLORMAPS, type Colormap } from '../plot/colormap';
import { rowEdge } from '../plot/cell-grid';
import { standardiseColumns, type ValueRange } from '../plot/heatmap';
import { seriesColormap, seriesRange } from './inside-palettes';
import { decoderInputTokens } from './trace-sequences';

/**
 * Which part of an encoder-decoder a trace view (trace-sequences.ts sequenceView) draws: the
 * encoder reads the source and answers nothing (its last state starts the decoder); the decoder
 * reads its previous output symbol and answers one per step. Null: a single-sequence model.
 */
export type UnrolledPart = 'encoder' | 'decoder' | null;

/** Row-major [steps, size] vectors, coloured with `colormap` over `range`. */
export interface StepVectors {
  data: Float32Array;
  size: number;
  range: ValueRange;
  colormap: Colormap;
}

export interface UnrolledRow {
  kind: 'input' | 'hidden' | 'output';
  /** At the left: "input x", "layer 0 fw h", "output y". */
  label: string;
  /** The row's name in the CSV: `input x`, `encoder/layer0/fw h`, `output y`. */
  key: string;
  /** Hidden rows: the layer's depth (0 = reads the input). */
  level: number;
  /** Hidden rows: a backward direction (its state runs from the end of the input). */
  backward: boolean;
  vectors: StepVectors | null;
  /** A text per step (a token, a predicted label), null where the step has none. */
  texts: readonly (string | null)[] | null;
}

/** Standardised features are coloured from -3 to 3 standard deviations, as in the input strip. */
const FEATURE_RANGE: ValueRange = { min: -3, max: 3 };

function levelOf(key: string, index: number): number {
  const match = /layer(\d+)/.exec(key);
  return match ? Number(match[1]) : index;
}

/** The rows of a trace, bottom (input) to top (output). */
export function unrolledRows(trace: InsideTrace, part: UnrolledPart = null): UnrolledRow[] {
  const decoderReads =
    part === 'decoder' && trace.axis.kind === 'tokens'
      ? decoderInputTokens(trace.axis.tokens)
      : null;
  const input: UnrolledRow = {
    kind: 'input',
    label: decoderReads
      ? 'input x (previous symbol)'
      : trace.features
        ? 'input x (features)'
        : part === 'encoder'
          ? 'input x (symbol)'
          : 'input x (word)',
    key: 'input x',
    level: -1,
    backward: false,
    vectors: trace.features
      ? {
          data: standardiseColumns(trace.features.data, trace.steps, trace.features.dims),
          size: trace.features.dims,
          range: FEATURE_RANGE,
          colormap: COLORMAPS.blueWhiteRed,
        }
      : null,
    texts: decoderReads ?? (trace.axis.kind === 'tokens' ? trace.axis.tokens : null),
  };
  const hidden = trace.layers.flatMap((layer, i): UnrolledRow[] => {
    const series = layer.series.find((s) => s.name === 'hidden');
    if (!series) return [];
    const backward = layer.key.endsWith('/bw');
    const level = levelOf(layer.key, i);
    return [
      {
        kind: 'hidden',
        label: `layer ${level}${layer.key.endsWith('/fw') || backward ? ` ${backward ? 'bw' : 'fw'}` : ''} h`,
        key: `${layer.key} h`,
        level,
        backward,
        vectors: {
          data: series.data,
          size: series.units,
          range: seriesRange('hidden', series.data),
          colormap: seriesColormap('hidden'),
        },
        texts: null,
      },
    ];
  });
  hidden.sort((a, b) => a.level - b.level);
  if (part === 'encoder') return [input, ...hidden];
  const output: UnrolledRow = {
    kind: 'output',
    label: trace.perStep ? 'output y (answer)' : 'output y (the answer)',
    key: 'output y',
    level: Number.MAX_SAFE_INTEGER,
    backward: false,
    vectors: null,
    texts: Array.from({ length: trace.steps }, (_, t) =>
      trace.perStep
        ? (trace.predicted[t] ?? null)
        : t === trace.steps - 1
          ? (trace.predicted[0] ?? null)
          : null,
    ),
  };
  return [input, ...hidden, output];
}

/** Geometry, CSS pixels. */
export const UNROLLED = {
  /** Steps drawn at once. */
  visibleSteps: 8,
  leftMargin: 150,
  rightMargin: 16,
  topMargin: 24,
  bottomMargin: 30,
  columnWidth: 100,
  stripWidth: 28,
  textBoxWidth: 72,
  vectorHeight: 72,
  textHeight: 24,
  /** Between rows of one layer (its directions). */
  directionGap: 8,
  /** How far right of the column's centre the arrow into a level's second direction runs. */
  besideOffset: 24,
  /** Between levels: room for the upward arrow and its label. */
  levelGap: 30,
} as const;

export interface UnrolledCell {
  unit: number;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
}

export interface UnrolledBox {
  row: number;
  step: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Vector rows: one cell per unit that has a pixel row of its own (unit 0 at the top). */
  cells: UnrolledCell[];
  text: string | null;
}

export interface UnrolledArrow {
  kind: 'feed' | 'recurrent';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  label: string;
}

export interface UnrolledText {
  text: string;
  x: number;
  y: number;
  align: 'left' | 'center' | 'right';
}

export interface UnrolledLayout {
  width: number;
  height: number;
  firstStep: number;
  /** The steps drawn, left to right. */
  steps: number[];
  boxes: UnrolledBox[];
  arrows: UnrolledArrow[];
  texts: UnrolledText[];
}

/** The first step that can be shown when `visible` steps fit: clamps a scroll position. */
export function clampFirstStep(first: number, steps: number, visible: number): number {
  return Math.max(0, Math.min(Math.max(0, steps - visible), Math.round(first)));
}

/** Where the row's boxes sit vertically, and how tall they are, bottom (input) row last. */
function rowPlacement(rows: readonly UnrolledRow[]): { y: number; height: number }[] {
  const heights = rows.map((r) => (r.vectors ? UNROLLED.vectorHeight : UNROLLED.textHeight));
  const placement: { y: number; height: number }[] = new Array<{ y: number; height: number }>(
    rows.length,
  );
  // Top down: the output first.
  let y = UNROLLED.topMargin;
  for (let i = rows.length - 1; i >= 0; i--) {
    const height = heights[i] as number;
    placement[i] = { y, height };
    const below = rows[i - 1];
    if (below) {
      const sameLevel =
        below.kind === 'hidden' && rows[i]?.kind === 'hidden' && below.level === rows[i]?.level;
      y += height + (sameLevel ? UNROLLED.directionGap : UNROLLED.levelGap);
    } else y += height;
  }
  return placement;
}

function vectorCells(
  vectors: StepVectors,
  step: number,
  x: number,
  y: number,
  width: number,
  height: number,
): UnrolledCell[] {
  const cells: UnrolledCell[] = [];
  for (let unit = 0; unit < vectors.size; unit++) {
    const top = rowEdge(unit, vectors.size, height);
    const bottom = rowEdge(unit + 1, vectors.size, height);
    // More units than pixel rows: a unit that gets no row of its own is not drawn.
    if (bottom <= top) continue;
    const value = vectors.data[step * vectors.size + unit] as number;
    cells.push({
      unit,
      value,
      x,
      y: y + top,
      width,
      height: bottom - top,
      fill: colourCss(vectors.colormap, colourIndex(value, vectors.range.min, vectors.range.max)),
    });
  }
  return cells;
}

/** The label of a feed arrow into `row` (from the row below it). */
function feedLabel(row: UnrolledRow, depth: number): string {
  if (row.kind === 'output') return 'W_hy';
  return depth > 1 && row.level > 0 ? `W_xh⁽${row.level}⁾` : 'W_xh';
}

/**
 * The unrolled picture of `rows` from step `firstStep` (clamped), at most `visible` steps.
 * `stepLabel` names a step in its heading (a token, a time).
 */
export function layoutUnrolled(
  rows: readonly UnrolledRow[],
  totalSteps: number,
  firstStep: number,
  stepLabel: (step: number) => string,
  visible: number = UNROLLED.visibleSteps,
): UnrolledLayout {
  const first = clampFirstStep(firstStep, totalSteps, visible);
  const steps = Array.from(
    { length: Math.max(0, Math.min(visible, totalSteps - first)) },
    (_, i) => first + i,
  );
  const placement = rowPlacement(rows);
  const last = placement[0];
  const height = (last ? last.y + last.height : UNROLLED.topMargin) + UNROLLED.bottomMargin;
  const width = UNROLLED.leftMargin + visible * UNROLLED.columnWidth + UNROLLED.rightMargin;
  const depth = new Set(rows.filter((r) => r.kind === 'hidden').map((r) => r.level)).size;
  const boxes: UnrolledBox[] = [];
  const arrows: UnrolledArrow[] = [];
  const texts: UnrolledText[] = [];
  const columnCentre = (i: number): number =>
    UNROLLED.leftMargin + i * UNROLLED.columnWidth + UNROLLED.columnWidth / 2;

  rows.forEach((row, r) => {
    const place = placement[r] as { y: number; height: number };
    texts.push({ text: row.label, x: 4, y: place.y + place.height / 2, align: 'left' });
    const boxWidth = row.vectors ? UNROLLED.stripWidth : UNROLLED.textBoxWidth;
    steps.forEach((step, i) => {
      const text = row.texts ? (row.texts[step] ?? null) : null;
      // A sequence model answers once, at the end: no output box at the other steps.
      if (row.kind === 'output' && text === null) return;
      const x = columnCentre(i) - boxWidth / 2;
      boxes.push({
        row: r,
        step,
        x,
        y: place.y,
        width: boxWidth,
        height: place.height,
        cells: row.vectors
          ? vectorCells(row.vectors, step, x, place.y, boxWidth, place.height)
          : [],
        text,
      });
      // Up from the row below (the level below, for the rows of a layer's directions).
      const below = rows
        .slice(0, r)
        .map((b, j) => ({ b, j }))
        .reverse()
        .find(({ b }) => b.kind !== 'hidden' || row.kind !== 'hidden' || b.level < row.level);
      if (below) {
        const from = placement[below.j] as { y: number; height: number };
        // A level's second direction reads the same input: its arrow passes beside the first's box.
        const beside = r - 1 - below.j;
        const x = columnCentre(i) + beside * UNROLLED.besideOffset;
        arrows.push({
          kind: 'feed',
          x0: x,
          y0: from.y,
          x1: x,
          y1: place.y + place.height,
          // Unlabelled beside the first direction's box, where its W_hh label is.
          label: beside === 0 ? feedLabel(row, depth) : '',
        });
      }
    });
    if (row.kind !== 'hidden') return;
    const y = place.y + place.height / 2;
    const half = UNROLLED.stripWidth / 2;
    // Between neighbouring steps, plus the state coming in from the steps not shown.
    for (let i = 0; i + 1 < steps.length; i++) {
      const left = columnCentre(i) + half;
      const right = columnCentre(i + 1) - half;
      arrows.push({
        kind: 'recurrent',
        x0: row.backward ? right : left,
        y0: y,
        x1: row.backward ? left : right,
        y1: y,
        label: 'W_hh',
      });
    }
    const firstShown = steps[0];
    const lastShown = steps.at(-1);
    if (firstShown === undefined || lastShown === undefined) return;
    if (!row.backward && firstShown > 0)
      arrows.push({
        kind: 'recurrent',
        x0: UNROLLED.leftMargin,
        y0: y,
        x1: columnCentre(0) - half,
        y1: y,
        label: '',
      });
    if (row.backward && lastShown < totalSteps - 1)
      arrows.push({
        kind: 'recurrent',
        x0: columnCentre(steps.length - 1) + UNROLLED.columnWidth / 2,
        y0: y,
        x1: columnCentre(steps.length - 1) + half,
        y1: y,
        label: '',
      });
  });
  steps.forEach((step, i) => {
    const name = stepLabel(step);
    texts.push({
      text: `t = ${step}${name ? ` · ${name}` : ''}`,
      x: columnCentre(i),
      y: UNROLLED.topMargin / 2,
      align: 'center',
    });
  });
  texts.push({
    text: 'W_xh, W_hh, W_hy: the same matrices at every step (each layer and direction has its own)',
    x: 4,
    y: height - UNROLLED.bottomMargin / 2,
    align: 'left',
  });
  return { width, height, firstStep: first, steps, boxes, arrows, texts };
}

/** The box and unit under a point, or null. */
export function unrolledCellAt(
  layout: UnrolledLayout,
  x: number,
  y: number,
): { box: UnrolledBox; cell: UnrolledCell | null } | null {
  const box = layout.boxes.find(
    (b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height,
  );
  if (!box) return null;
  const cell = box.cells.find((c) => y >= c.y && y < c.y + c.height) ?? null;
  return { box, cell };
}

/** What drawUnrolled uses of a canvas 2-D context. */
export type UnrolledCanvas = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
  | 'clearRect'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'closePath'
  | 'stroke'
  | 'fill'
  | 'fillText'
>;

export interface UnrolledTheme {
  text: string;
  muted: string;
  line: string;
  box: string;
}

const ARROW_HEAD = 5;

function drawArrow(context: UnrolledCanvas, arrow: UnrolledArrow, theme: UnrolledTheme): void {
  const { x0, y0, x1, y1 } = arrow;
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (length === 0) return;
  const ux = (x1 - x0) / length;
  const uy = (y1 - y0) / length;
  context.strokeStyle = theme.line;
  context.fillStyle = theme.line;
  context.lineWidth = 1.25;
  context.beginPath();
  context.moveTo(x0, y0);
  context.lineTo(x1 - ux * ARROW_HEAD, y1 - uy * ARROW_HEAD);
  context.stroke();
  context.beginPath();
  context.moveTo(x1, y1);
  context.lineTo(
    x1 - ux * ARROW_HEAD * 2 - uy * ARROW_HEAD,
    y1 - uy * ARROW_HEAD * 2 + ux * ARROW_HEAD,
  );
  context.lineTo(
    x1 - ux * ARROW_HEAD * 2 + uy * ARROW_HEAD,
    y1 - uy * ARROW_HEAD * 2 - ux * ARROW_HEAD,
  );
  context.closePath();
  context.fill();
  if (arrow.label === '') return;
  context.fillStyle = theme.muted;
  context.font = '10px sans-serif';
  context.textBaseline = 'bottom';
  context.textAlign = arrow.kind === 'recurrent' ? 'center' : 'left';
  if (arrow.kind === 'recurrent') context.fillText(arrow.label, (x0 + x1) / 2, y0 - 2);
  else context.fillText(arrow.label, x0 + 4, (y0 + y1) / 2 + 5);
}

export function drawUnrolled(
  context: UnrolledCanvas,
  layout: UnrolledLayout,
  theme: UnrolledTheme,
): void {
  context.clearRect(0, 0, layout.width, layout.height);
  for (const box of layout.boxes) {
    for (const cell of box.cells) {
      context.fillStyle = cell.fill;
      context.fillRect(cell.x, cell.y, cell.width, cell.height);
    }
    context.strokeStyle = theme.box;
    context.lineWidth = 1;
    context.strokeRect(box.x, box.y, box.width, box.height);
    if (box.text !== null) {
      context.fillStyle = theme.text;
      context.font = '12px sans-serif';
      context.textAlign = 'center';
      context.textBaseline = 'middle';
      context.fillText(box.text, box.x + box.width / 2, box.y + box.height / 2, box.width - 4);
    }
  }
  for (const arrow of layout.arrows) drawArrow(context, arrow, theme);
  context.font = '12px sans-serif';
  context.textBaseline = 'middle';
  for (const text of layout.texts) {
    context.fillStyle = theme.text;
    context.textAlign = text.align;
    context.fillText(text.text, text.x, text.y);
  }
}
