/**
 * Where frames and rows land on a canvas painted cell by cell (drawPosteriorColumns), and back
 * from a pixel to its frame and row. Edges are rounded to whole pixels so that neighbouring cells
 * neither overlap nor leave seams; the inverses below follow the same rounding, so a pixel maps
 * to the cell whose colour it shows.
 */

/** The pixel edge above display row `row` of `rowCount` rows on a canvas `height` tall. */
export function rowEdge(row: number, rowCount: number, height: number): number {
  return rowCount > 0 ? Math.round((row * height) / rowCount) : 0;
}

/**
 * The display row painted at pixel row `y` (the row whose [rowEdge(r), rowEdge(r + 1)) holds
 * floor(y)), clamped to the rows; -1 when there are none. `y` may be fractional (a pointer).
 */
export function rowAtY(y: number, rowCount: number, height: number): number {
  if (rowCount <= 0 || height <= 0) return -1;
  const pixel = Math.floor(y);
  // Math.round(v) <= pixel exactly when v < pixel + 0.5: the last row starting at or above it.
  let row = Math.ceil(((pixel + 0.5) * rowCount) / height) - 1;
  row = Math.max(0, Math.min(rowCount - 1, row));
  // Guard the division's rounding against the edges as they are drawn.
  while (row > 0 && rowEdge(row, rowCount, height) > pixel) row--;
  while (row < rowCount - 1 && rowEdge(row + 1, rowCount, height) <= pixel) row++;
  return row;
}

/** Frame f's left edge in pixels when frame 0's is at x0 and each is `columnWidth` wide. */
export function columnEdge(frame: number, x0: number, columnWidth: number): number {
  return Math.round(x0 + frame * columnWidth);
}

/**
 * The frame painted at pixel column `x`: frame f fills [columnEdge(f), columnEdge(f + 1)), and
 * where columns are narrower than a pixel the last frame to reach it is the one seen. The
 * answer is not bounded by the frames there are (negative before frame 0); `x` may be
 * fractional.
 */
export function frameAtColumn(x: number, x0: number, columnWidth: number): number {
  if (!(columnWidth > 0)) return -1;
  const pixel = Math.floor(x);
  let frame = Math.ceil((pixel + 0.5 - x0) / columnWidth) - 1;
  while (columnEdge(frame, x0, columnWidth) > pixel) frame--;
  while (columnEdge(frame + 1, x0, columnWidth) <= pixel) frame++;
  return frame;
}

/**
 * Columns for frames centred at `firstCentreSeconds + f * shiftSeconds`, each one shift wide
 * (half a shift either side of its centre), at `pxPerSecond` from the canvas's left edge.
 */
export function centredColumns(
  firstCentreSeconds: number,
  shiftSeconds: number,
  pxPerSecond: number,
): { x0: number; columnWidth: number } {
  return {
    x0: (firstCentreSeconds - shiftSeconds / 2) * pxPerSecond,
    columnWidth: shiftSeconds * pxPerSecond,
  };
}
