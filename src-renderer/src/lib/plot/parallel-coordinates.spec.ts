import { describe, expect, it } from 'vitest';
import { COLORMAPS } from './colormap';
import {
  axisEndLabels,
  axisPosition,
  parallelAxes,
  parallelGeometry,
  shortFieldName,
  renderParallelCoordinates,
  type ParallelRun,
} from './parallel-coordinates';

const runs: ParallelRun[] = [
  { values: ['lstm', 0.01], metric: 0.5 },
  { values: ['gru', 0.0001], metric: 0.9 },
  { values: ['lstm', 0.001], metric: 0.7 },
];

describe('parallel coordinates', () => {
  it('makes a category axis, a log axis for a rate spanning 100x, and the metric axis', () => {
    const axes = parallelAxes(['model.cell', 'lr'], runs, 'accuracy');
    expect(axes.map((a) => [a.label, a.kind, a.log])).toEqual([
      ['model.cell', 'category', false],
      ['lr', 'number', true],
      ['accuracy', 'number', false],
    ]);
    expect(axes[0]?.categories).toEqual(['lstm', 'gru']);
    expect(axisPosition(axes[1]!, 0.001)).toBeCloseTo(0.5);
    expect(axisEndLabels(axes[2]!)).toEqual({ top: '0.9', bottom: '0.5' });
  });

  it('places axes evenly and each run at its values, the best at the top of the metric axis', () => {
    const axes = parallelAxes(['model.cell', 'lr'], runs, 'accuracy');
    const g = parallelGeometry(axes, runs, { width: 101, height: 51, pad: { x: 10, y: 5 } });
    expect(g.axisX).toEqual([10, 50, 90]);
    // gru (second category) is at the top of the cell axis, lstm at the bottom.
    expect(g.lines[1]?.points[0]).toEqual([10, 5]);
    expect(g.lines[0]?.points[0]).toEqual([10, 45]);
    // The metric: 0.9 at the top, 0.5 at the bottom, 0.7 half way; shades follow.
    const ends = g.lines.map((l) => l.points[2]?.[1] ?? NaN);
    expect(ends[0]).toBe(45);
    expect(ends[1]).toBe(5);
    expect(ends[2]).toBeCloseTo(25, 9);
    const shades = g.lines.map((l) => l.shade);
    expect(shades.slice(0, 2)).toEqual([0, 1]);
    expect(shades[2]).toBeCloseTo(0.5, 9);
  });

  it('draws grey axes and each line in its metric colour into the pixel buffer', () => {
    const axes = parallelAxes(['model.cell', 'lr'], runs, 'accuracy');
    const width = 101;
    const height = 51;
    const g = parallelGeometry(axes, runs, { width, height, pad: { x: 10, y: 5 } });
    const image = { data: new Uint8ClampedArray(width * height * 4), width, height };
    renderParallelCoordinates(g, image);
    const at = (x: number, y: number): number[] => [
      ...image.data.slice((y * width + x) * 4, (y * width + x) * 4 + 4),
    ];
    // An axis pixel away from every line is grey.
    expect(at(50, 40)).toEqual([120, 120, 120, 255]);
    // The best run (0.9) ends at the metric axis's top in viridis's top colour.
    const top = [...COLORMAPS.viridis.slice(255 * 4, 255 * 4 + 3)];
    expect(at(90, 5).slice(0, 3)).toEqual(top);
    // Half way along the best run's first segment (gru at the top, lr 1e-4 at the bottom).
    expect(at(30, 25).slice(0, 3)).toEqual(top);
    // A corner far from everything stays empty.
    expect(at(0, 50)).toEqual([0, 0, 0, 0]);
  });

  it('labels a field axis by the last name of its path', () => {
    expect(shortFieldName('training.optimizer.learningRate')).toBe('learningRate');
    expect(shortFieldName('model.layers.0.units')).toBe('units');
    expect(shortFieldName('seed')).toBe('seed');
  });
});
