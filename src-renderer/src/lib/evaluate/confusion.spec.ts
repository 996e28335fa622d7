import { describe, expect, it } from 'vitest';
import {
  classScores,
  confusionAccuracy,
  cellColour,
  cellSizeFor,
  cellText,
  confusionGrid,
  maxCell,
  normaliseRows,
} from './confusion';

const counts = [
  [3, 1],
  [0, 0],
];

describe('normaliseRows', () => {
  it('divides each row by its sum and keeps empty rows at zero', () => {
    expect(normaliseRows(counts)).toEqual([
      [0.75, 0.25],
      [0, 0],
    ]);
    expect(maxCell(counts)).toBe(3);
  });
});

describe('cellColour', () => {
  it('runs from white to dark blue (the proportion palette) and clamps', () => {
    expect(cellColour(0)).toBe('rgb(247, 251, 255)');
    expect(cellColour(2)).toBe(cellColour(1));
    expect(cellColour(Number.NaN)).toBe(cellColour(0));
    const darkest = cellColour(1).match(/\d+/g)?.map(Number) ?? [];
    expect(darkest.reduce((a, b) => a + b, 0)).toBeLessThan(250);
  });
});

describe('confusionGrid', () => {
  const matrix = {
    labels: ['yes', 'no', 'up'],
    counts: [
      [3, 1, 0],
      [0, 2, 2],
      [0, 0, 0],
    ],
  };

  it('lays the cells out as a regular grid of equal squares', () => {
    const grid = confusionGrid(matrix, { normalised: false, cellSize: 30 });
    expect(grid.cells).toHaveLength(9);
    expect(grid.width).toBe(90);
    expect(grid.height).toBe(90);
    const xs = new Set(grid.cells.map((c) => c.x));
    const ys = new Set(grid.cells.map((c) => c.y));
    expect([...xs]).toEqual([0, 30, 60]);
    expect([...ys]).toEqual([0, 30, 60]);
    const second = grid.cells[1];
    expect(second).toMatchObject({ reference: 'yes', predicted: 'no', count: 1, x: 30, y: 0 });
    expect(grid.scaleMax).toBe(3);
    expect(grid.cells[0]?.fraction).toBe(1);
  });

  it('normalises rows onto a 0..1 scale and keeps the counts', () => {
    const grid = confusionGrid(matrix, { normalised: true, cellSize: 30 });
    expect(grid.cells.slice(3, 6).map((c) => [c.value, c.count])).toEqual([
      [0, 0],
      [0.5, 2],
      [0.5, 2],
    ]);
    expect(grid.scaleMax).toBe(1);
    expect(cellText(grid.cells[0]!, true, 30)).toBe('75');
    expect(cellText(grid.cells[0]!, true, 20)).toBe('');
  });

  it('shrinks cells for many classes, within limits', () => {
    expect(cellSizeFor(2)).toBe(44);
    expect(cellSizeFor(40)).toBe(14);
    expect(cellSizeFor(20)).toBe(28);
  });
});

describe('classScores', () => {
  it('computes precision, recall and F1 per class from a hand-made matrix', () => {
    // yes: 2 right, 1 called no; no: 1 right, 1 called yes.
    const scores = classScores({
      labels: ['yes', 'no'],
      counts: [
        [2, 1],
        [1, 1],
      ],
    });
    expect(scores[0]).toMatchObject({ label: 'yes', support: 3 });
    expect(scores[0]?.precision).toBeCloseTo(2 / 3);
    expect(scores[0]?.recall).toBeCloseTo(2 / 3);
    expect(scores[1]?.precision).toBeCloseTo(1 / 2);
    expect(scores[1]?.f1).toBeCloseTo(0.5);
    expect(confusionAccuracy(counts)).toBe(0.75);
  });
});
