import { describe, expect, it } from 'vitest';
import type { AttentionMatrix } from '@api/seq2seq';
import { colourIndex } from '../plot/colormap';
import {
  ATTENTION_PALETTE,
  attentionCellAt,
  attentionCellPx,
  attentionReadout,
  CELL_PX,
  outputStepLabels,
  renderAttention,
} from './attention-heatmap';

/** Output steps x source units, row-major. */
function matrix(rows: number[][]): AttentionMatrix {
  const cols = rows[0]?.length ?? 0;
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols };
}

function paint(m: AttentionMatrix, width: number, height: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  renderAttention(m, { data, width, height });
  return data;
}

/** The RGB of the palette's colour for a weight. */
function colourOf(weight: number): number[] {
  const entry = colourIndex(weight, 0, 1) * 4;
  return Array.from(ATTENTION_PALETTE.colormap.subarray(entry, entry + 3));
}

const pixel = (data: Uint8ClampedArray, width: number, x: number, y: number): number[] =>
  Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3));

// Two output steps over three source units; each row sums to 1.
const TWO_BY_THREE = matrix([
  [0.1, 0.2, 0.7],
  [1, 0, 0],
]);

describe('the attention heatmap', () => {
  it('paints source units across and output steps down, each cell in its weight’s colour', () => {
    const data = paint(TWO_BY_THREE, 6, 4);
    // 2 px per column, 2 px per row.
    expect(pixel(data, 6, 0, 0)).toEqual(colourOf(0.1));
    expect(pixel(data, 6, 3, 1)).toEqual(colourOf(0.2));
    expect(pixel(data, 6, 5, 0)).toEqual(colourOf(0.7));
    expect(pixel(data, 6, 1, 3)).toEqual(colourOf(1));
    expect(pixel(data, 6, 4, 2)).toEqual(colourOf(0));
    // The ends of the palette: no weight is its first colour, all of it its last.
    expect(colourOf(0)).toEqual(Array.from(ATTENTION_PALETTE.colormap.subarray(0, 3)));
    expect(colourOf(1)).toEqual(Array.from(ATTENTION_PALETTE.colormap.subarray(1020, 1023)));
    expect(data[3]).toBe(255);
  });

  it('gives cells whole-pixel edges that tile the image when the sizes do not divide', () => {
    // 3 columns on 10 px: edges 0, 3, 7, 10.
    const data = paint(TWO_BY_THREE, 10, 2);
    const columns = Array.from({ length: 10 }, (_, x) => pixel(data, 10, x, 0));
    expect(columns).toEqual([
      ...Array<number[]>(3).fill(colourOf(0.1)),
      ...Array<number[]>(4).fill(colourOf(0.2)),
      ...Array<number[]>(3).fill(colourOf(0.7)),
    ]);
  });

  it('finds under the pointer the cell whose colour is painted there', () => {
    const m = matrix([
      [0.05, 0.15, 0.3, 0.5],
      [0.6, 0.2, 0.1, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]);
    const [width, height] = [23, 11];
    const data = paint(m, width, height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const cell = attentionCellAt(m, x + 0.5, y + 0.5, width, height);
        expect(cell).not.toBeNull();
        expect(colourOf(cell!.weight)).toEqual(pixel(data, width, x, y));
        expect(cell!.weight).toBe(m.data[cell!.row * m.cols + cell!.col]);
      }
    expect(attentionCellAt(m, 22.9, 10.9, width, height)).toMatchObject({ row: 2, col: 3 });
    expect(attentionCellAt(m, 6, 0, width, height)).toMatchObject({ row: 0, col: 1 });
  });

  it('finds nothing off the image or in an empty matrix', () => {
    expect(attentionCellAt(TWO_BY_THREE, -1, 1, 6, 4)).toBeNull();
    expect(attentionCellAt(TWO_BY_THREE, 6, 1, 6, 4)).toBeNull();
    expect(attentionCellAt(TWO_BY_THREE, 1, 4, 6, 4)).toBeNull();
    expect(attentionCellAt(matrix([]), 0, 0, 6, 4)).toBeNull();
    const data = paint(matrix([]), 2, 2).fill(9);
    renderAttention(matrix([]), { data, width: 2, height: 2 });
    expect([...data]).toEqual(new Array<number>(16).fill(0));
  });

  it('labels the rows with the output units, then the end symbol when the output ended', () => {
    expect(outputStepLabels({ units: ['d', 'c'], finished: true })).toEqual(['d', 'c', '</s>']);
    expect(outputStepLabels({ units: ['d', 'c'], finished: false })).toEqual(['d', 'c']);
  });

  it('reads out the output step, the source unit and the weight', () => {
    expect(
      attentionReadout({ row: 2, col: 0, weight: 0.834 }, ['d', 'c', '</s>'], ['a', 'b']),
    ).toBe('output “</s>” ← source “a”: 0.83');
  });

  it('sizes cells to fit a long sentence, within bounds', () => {
    expect(attentionCellPx(3, 4)).toBe(CELL_PX.max);
    expect(attentionCellPx(10, 40)).toBe(14);
    expect(attentionCellPx(200, 300)).toBe(CELL_PX.min);
  });
});
