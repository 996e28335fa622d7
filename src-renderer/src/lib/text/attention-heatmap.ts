/**
 * An encoder-decoder's attention as a heatmap: source units across (one column each), output
 * steps down (one row each, the end symbol's last when the output ended), each cell coloured by
 * the weight that output step gave that source unit (0..1, the probability palette). Pure: it
 * paints an RGBA buffer whose cells have whole-pixel edges (plot/cell-grid), and the hover
 * lookup is its inverse, so the cell named under the pointer is the one whose colour is there.
 */
import type { AttentionMatrix, TranslationHypothesis } from '@api/seq2seq';
import { rowAtY } from '../plot/cell-grid';
import { writeColour } from '../plot/colormap';
import type { PixelImage } from '../plot/heatmap';
import { PALETTES, type Palette } from '../plot/palettes';

/** Attention weights are a probability distribution over the source units. */
export const ATTENTION_PALETTE: Palette = PALETTES.probability;

/** The label of the end symbol's row (the step that chose to stop). */
export const END_LABEL = '</s>';

/** CSS pixels per cell side: big enough to hover, small enough that a sentence fits. */
export const CELL_PX = { min: 8, max: 32 } as const;
/** The longest side of the heatmap in CSS pixels before cells shrink. */
export const MAX_SIDE_PX = 560;

/** The side of a square cell for a matrix of `rows` x `cols`, in CSS pixels. */
export function attentionCellPx(rows: number, cols: number): number {
  const longest = Math.max(1, rows, cols);
  return Math.max(CELL_PX.min, Math.min(CELL_PX.max, Math.floor(MAX_SIDE_PX / longest)));
}

/** The labels of a hypothesis's attention rows: its output units, then the end symbol if it ended. */
export function outputStepLabels(
  hypothesis: Pick<TranslationHypothesis, 'units' | 'finished'>,
): string[] {
  return [...hypothesis.units, ...(hypothesis.finished ? [END_LABEL] : [])];
}

/** Paints the matrix into `image`: cell (r, c) fills [edge(c), edge(c + 1)) x [edge(r), edge(r + 1)). */
export function renderAttention(matrix: AttentionMatrix, image: PixelImage): void {
  const { data, width, height } = image;
  const { rows, cols } = matrix;
  if (rows === 0 || cols === 0) {
    data.fill(0);
    return;
  }
  const colourmap = ATTENTION_PALETTE.colormap;
  const colOf = Int32Array.from({ length: width }, (_, x) => rowAtY(x, cols, width));
  for (let y = 0; y < height; y++) {
    const row = rowAtY(y, rows, height);
    for (let x = 0; x < width; x++) {
      const weight = matrix.data[row * cols + (colOf[x] as number)] as number;
      writeColour(data, (y * width + x) * 4, colourmap, weight, 0, 1);
    }
  }
}

export interface AttentionCell {
  /** The output step (row) and source unit (column). */
  row: number;
  col: number;
  weight: number;
}

/**
 * The cell painted at (x, y) pixels of an image `width` x `height` painted by renderAttention,
 * or null off it. x and y may be fractional (a pointer).
 */
export function attentionCellAt(
  matrix: AttentionMatrix,
  x: number,
  y: number,
  width: number,
  height: number,
): AttentionCell | null {
  if (matrix.rows === 0 || matrix.cols === 0) return null;
  if (!(x >= 0 && x < width && y >= 0 && y < height)) return null;
  const row = rowAtY(y, matrix.rows, height);
  const col = rowAtY(x, matrix.cols, width);
  return { row, col, weight: matrix.data[row * matrix.cols + col] as number };
}

/** The hover read-out of a cell: which output step looked at which source unit, and how much. */
export function attentionReadout(
  cell: AttentionCell,
  outputLabels: readonly string[],
  sourceUnits: readonly string[],
): string {
  const output = outputLabels[cell.row] ?? String(cell.row);
  const source = sourceUnits[cell.col] ?? String(cell.col);
  return `output “${output}” ← source “${source}”: ${cell.weight.toFixed(2)}`;
}
