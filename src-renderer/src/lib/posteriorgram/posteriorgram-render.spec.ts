import { describe, expect, it } from 'vitest';
import { buildColormap } from '../plot/colormap';
import {
  classBandGeometry,
  drawClassSeparators,
  drawPosteriorColumns,
  posteriorRowLayout,
  probabilityStyle,
  rowLabelGeometry,
  topPhonesAt,
  type PosteriorCanvas,
} from './posteriorgram-render';

/** Records every filled rectangle with the style it was filled with. */
class RecordingCanvas implements PosteriorCanvas {
  fillStyle: unknown = '';
  readonly rects: { x: number; y: number; w: number; h: number; style: string }[] = [];
  fillRect(x: number, y: number, w: number, h: number): void {
    this.rects.push({ x, y, w, h, style: String(this.fillStyle) });
  }
}

// Black at 0, red at 1: a cell's red channel is round(255 * p) give or take one index step.
const RED = buildColormap([
  [0, 0, 0],
  [255, 0, 0],
]);

const red = (style: string): number => Number(/rgb\((\d+),/.exec(style)?.[1]);

describe('posteriorRowLayout', () => {
  const labels = ['sil', 'aa', 'p', 'iy', 'zz', 't', 'm'];
  const classes = [
    { name: 'vowels', phones: ['iy', 'aa', 'ow'] },
    { name: 'stops', phones: ['t', 'p'] },
    { name: 'nasals', phones: ['ng'] },
    { name: 'silence', phones: ['sil', 'aa'] },
  ];

  it('groups rows by class in class order, then the unknown labels as other', () => {
    const layout = posteriorRowLayout(labels, classes);
    expect(layout.rowLabels).toEqual(['iy', 'aa', 't', 'p', 'sil', 'zz', 'm']);
    expect(layout.order).toEqual([3, 1, 5, 2, 0, 4, 6]);
    // 'nasals' has none of the model's phones and is dropped; 'aa' stays with the vowels.
    expect(layout.bands).toEqual([
      { name: 'vowels', firstRow: 0, rowCount: 2 },
      { name: 'stops', firstRow: 2, rowCount: 2 },
      { name: 'silence', firstRow: 4, rowCount: 1 },
      { name: 'other', firstRow: 5, rowCount: 2 },
    ]);
    expect(layout.rowBand).toEqual([0, 0, 1, 1, 2, 3, 3]);
    for (let column = 0; column < labels.length; column++) {
      expect(layout.order[layout.rowOfColumn[column]!]).toBe(column);
    }
  });

  it('puts everything in other without classes, and has no other band when all are classed', () => {
    expect(posteriorRowLayout(['a', 'b'], []).bands).toEqual([
      { name: 'other', firstRow: 0, rowCount: 2 },
    ]);
    const layout = posteriorRowLayout(['t', 'iy'], classes);
    expect(layout.bands.map((band) => band.name)).toEqual(['vowels', 'stops']);
  });

  it('gives a repeated label one row per output column', () => {
    const layout = posteriorRowLayout(['x', 'iy', 'x'], [{ name: 'odd', phones: ['x'] }]);
    expect(layout.order).toEqual([0, 2, 1]);
  });
});

describe('drawPosteriorColumns', () => {
  // Two frames of three phones; the layout shows column 2 first.
  const layout = posteriorRowLayout(['a', 'b', 'c'], [{ name: 'first', phones: ['c'] }]);
  const posteriors = new Float32Array([0.1, 0.2, 0.7, 1, 0, 0]);

  it('fills one cell per row per frame, in layout order, coloured by probability', () => {
    const canvas = new RecordingCanvas();
    const drawn = drawPosteriorColumns(canvas, layout, posteriors, 3, 0, 2, 10, 4, 30, RED);
    expect(drawn).toBe(2);
    expect(canvas.rects.map(({ x, y, w, h }) => [x, y, w, h])).toEqual([
      [10, 0, 4, 10],
      [10, 10, 4, 10],
      [10, 20, 4, 10],
      [14, 0, 4, 10],
      [14, 10, 4, 10],
      [14, 20, 4, 10],
    ]);
    const reds = canvas.rects.map((rect) => red(rect.style));
    // Frame 0 rows: c (0.7), a (0.1), b (0.2); frame 1: c (0), a (1), b (0).
    expect(reds[0]).toBeCloseTo(0.7 * 255, -1);
    expect(reds[1]).toBeCloseTo(0.1 * 255, -1);
    expect(reds[2]).toBeCloseTo(0.2 * 255, -1);
    expect(reds.slice(3)).toEqual([0, 255, 0]);
  });

  it('draws a frame range at x0, skipping frames outside the matrix', () => {
    const canvas = new RecordingCanvas();
    const drawn = drawPosteriorColumns(canvas, layout, posteriors, 3, 1, 5, 0, 2, 3, RED);
    expect(drawn).toBe(1);
    expect(canvas.rects.every((rect) => rect.x === 0 && rect.w === 2)).toBe(true);
    expect(red(canvas.rects[1]!.style)).toBe(255);
  });

  it('tiles fractional column widths without gaps and skips frames narrower than a pixel', () => {
    const many = new Float32Array(10 * 3).fill(0.5);
    const canvas = new RecordingCanvas();
    const drawn = drawPosteriorColumns(canvas, layout, many, 3, 0, 10, 0, 0.5, 3, RED);
    const columns = canvas.rects.filter((rect) => rect.y === 0);
    expect(drawn).toBe(5);
    expect(columns.map((rect) => rect.x)).toEqual([0, 1, 2, 3, 4]);
    expect(columns.every((rect) => rect.w === 1)).toBe(true);
    const wide = new RecordingCanvas();
    drawPosteriorColumns(wide, layout, many, 3, 0, 3, 0, 1.5, 3, RED);
    const xs = wide.rects.filter((rect) => rect.y === 0).map((rect) => [rect.x, rect.w]);
    expect(xs).toEqual([
      [0, 2],
      [2, 1],
      [3, 2],
    ]);
  });

  it('maps probability 0 and 1 to the ends of the colour map', () => {
    expect(probabilityStyle(0, RED)).toBe('rgb(0,0,0)');
    expect(probabilityStyle(1, RED)).toBe('rgb(255,0,0)');
  });
});

describe('topPhonesAt', () => {
  const posteriors = new Float32Array([0.1, 0.6, 0.3, 0.25, 0.25, 0.5]);
  const labels = ['a', 'b', 'c'];

  it('ranks the phones of one frame, most probable first', () => {
    expect(topPhonesAt(posteriors, 3, labels, 0, 2)).toEqual([
      { label: 'b', index: 1, probability: expect.closeTo(0.6, 6) },
      { label: 'c', index: 2, probability: expect.closeTo(0.3, 6) },
    ]);
    expect(topPhonesAt(posteriors, 3, labels, 1, 3).map((phone) => phone.label)).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('returns nothing for a frame outside the matrix', () => {
    expect(topPhonesAt(posteriors, 3, labels, 2, 3)).toEqual([]);
    expect(topPhonesAt(posteriors, 3, labels, -1, 3)).toEqual([]);
  });
});

describe('class bands and labels', () => {
  const layout = posteriorRowLayout(
    ['a', 'b', 'c', 'd', 'e', 'f'],
    [
      { name: 'one', phones: ['a', 'b', 'c', 'd'] },
      { name: 'two', phones: ['e'] },
    ],
  );

  it('gives each band its pixel extent and middle', () => {
    expect(classBandGeometry(layout, 60)).toEqual([
      { name: 'one', top: 0, bottom: 40, middle: 20, firstRow: 0, rowCount: 4 },
      { name: 'two', top: 40, bottom: 50, middle: 45, firstRow: 4, rowCount: 1 },
      { name: 'other', top: 50, bottom: 60, middle: 55, firstRow: 5, rowCount: 1 },
    ]);
  });

  it('labels every row when rows are tall enough, else every n-th row of each band', () => {
    expect(rowLabelGeometry(layout, 120, 10).map((label) => label.label)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    const thin = rowLabelGeometry(layout, 30, 10);
    expect(thin.map((label) => label.label)).toEqual(['a', 'c', 'e', 'f']);
    expect(thin[0]!.middle).toBe(2.5);
  });

  it('draws a separator at each boundary between bands', () => {
    const canvas = new RecordingCanvas();
    drawClassSeparators(canvas, layout, 5, 100, 60, '#fff');
    expect(canvas.rects).toEqual([
      { x: 5, y: 40, w: 100, h: 1, style: '#fff' },
      { x: 5, y: 50, w: 100, h: 1, style: '#fff' },
    ]);
  });
});
